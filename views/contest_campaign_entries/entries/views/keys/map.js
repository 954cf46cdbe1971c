function (doc) {
  // The one entry view: every index over the entries is a walk of every entry (CouchDB sends each
  // to the JavaScript engine once per design document, pouchdb-server once per view), so the
  // orders the reads need share one view, told apart by the key's first element:
  //   ['c', campaign_id, winner, id]            a campaign's winners, then its non-winners, each in
  //                                             id order: two ranges, keys unique for keyset pages
  //   ['u', user_id, created_at, campaign_id, id] a user's entries across campaigns in time order
  //                                             (created_at is ISO-8601 UTC with milliseconds)
  // A campaign's entries in id order need no view: their document ids sort that way (_all_docs).
  // No reduce: counts come from the rollups (stats/by_minute), far fewer rows.
  if (doc.type === 'contest_campaign_entry') {
    emit(['c', doc.campaign_id, doc.winner === true, doc.id], null);
    if (doc.user_id !== null && doc.user_id !== undefined) {
      emit(['u', doc.user_id, doc.created_at, doc.campaign_id, doc.id], null);
    }
  }
}
