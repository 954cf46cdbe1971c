function (doc) {
  // A user's entries across campaigns in time order. created_at is ISO-8601 UTC with milliseconds,
  // so it sorts as text; campaign_id and id make every key unique for keyset pagination.
  if (doc.type === 'contest_campaign_entry' && doc.user_id !== null && doc.user_id !== undefined) {
    emit([doc.user_id, doc.created_at, doc.campaign_id, doc.id], null);
  }
}
