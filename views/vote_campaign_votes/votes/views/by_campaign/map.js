function (doc) {
  // A campaign's votes in key order ([campaign_id, id] is unique, for keyset pagination) and, with
  // the reduce and group_level=1, the number of votes per campaign.
  if (doc.type === 'vote_campaign_vote') {
    emit([doc.campaign_id, doc.id], doc.choice);
  }
}
