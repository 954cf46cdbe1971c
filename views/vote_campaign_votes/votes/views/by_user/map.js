function (doc) {
  // A user's votes across campaigns in time order; campaign_id and id make every key unique for
  // keyset pagination. The only view over the votes: a campaign's votes in id order are its
  // document ids' order (_all_docs), and its counts come from the rollups.
  if (doc.type === 'vote_campaign_vote' && doc.user_id !== null && doc.user_id !== undefined) {
    emit([doc.user_id, doc.created_at, doc.campaign_id, doc.id], doc.choice);
  }
}
