function (doc) {
  // A campaign's winners and non-winners, each in id order: [campaign_id, true, id] and
  // [campaign_id, false, id] are two key ranges, unique for keyset pagination (pouchdb-server
  // ignores startkey_docid). No reduce: their counts come from the rollups (stats/by_minute), which
  // are far fewer rows, and pouchdb-server would reduce every entry at query time.
  if (doc.type === 'contest_campaign_entry') {
    emit([doc.campaign_id, doc.winner === true, doc.id], null);
  }
}
