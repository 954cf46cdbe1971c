function (doc) {
  // Only this folder's set: another set configured into the same database keeps its own rollups.
  // Statistics over rollup documents only: group_level=2 gives votes per campaign and day, 3 per
  // hour, 4 per minute, summed by the built-in _sum.
  if (doc.type === 'rollup' && doc.set === 'vote_campaign_votes' && typeof doc.minute === 'string') {
    // minute: "2026-11-20T14:05Z"
    emit([doc.campaign_id, doc.minute.substring(0, 10), doc.minute.substring(11, 13), doc.minute.substring(14, 16)], doc.count);
  }
}
