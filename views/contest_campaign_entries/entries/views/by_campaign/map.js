function (doc) {
  // A campaign's entries in key order ([campaign_id, id] is unique, for keyset pagination) and, with
  // the reduce and group_level=1, the number of entries per campaign.
  if (doc.type === 'contest_campaign_entry') {
    emit([doc.campaign_id, doc.id], null);
  }
}
