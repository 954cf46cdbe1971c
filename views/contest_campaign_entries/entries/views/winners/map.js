function (doc) {
  // The winners of a campaign in key order: [campaign_id, id] is unique, so a page starts at the
  // last key seen (pouchdb-server ignores startkey_docid). Value: the user, for lists without bodies.
  if (doc.type === 'contest_campaign_entry' && doc.winner === true) {
    emit([doc.campaign_id, doc.id], doc.user_id);
  }
}
