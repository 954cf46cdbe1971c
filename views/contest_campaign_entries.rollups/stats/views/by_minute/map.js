function (doc) {
  // Only this folder's set: another set configured into the same database keeps its own rollups.
  // Statistics over rollup documents only (one per campaign and minute), never over entries: a
  // campaign of a million entries has at most a few thousand rollups. The key splits the minute so
  // that group_level=2 gives days, 3 hours and 4 minutes per campaign; the value [entries, winners]
  // is summed element-wise by the built-in _sum.
  if (doc.type === 'rollup' && doc.set === 'contest_campaign_entries' && typeof doc.minute === 'string') {
    // minute: "2026-11-20T14:05Z"
    emit([doc.campaign_id, doc.minute.substring(0, 10), doc.minute.substring(11, 13), doc.minute.substring(14, 16)],
      [doc.count, doc.winners || 0]);
  }
}
