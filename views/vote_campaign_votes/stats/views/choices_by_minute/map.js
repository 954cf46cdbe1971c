function (doc) {
  // Only this folder's set: another set configured into the same database keeps its own rollups.
  // Votes per choice from the rollups' "choices" objects, one row per choice and minute: CouchDB's
  // _sum adds objects of numbers but pouchdb-server's only numbers and arrays, so the choice goes into
  // the key instead. group_level=2 gives a campaign's totals per choice, 3 per day, 4 per hour, 5 per
  // minute.
  if (doc.type === 'rollup' && doc.set === 'vote_campaign_votes' && typeof doc.minute === 'string' && doc.choices) {
    var day = doc.minute.substring(0, 10), hour = doc.minute.substring(11, 13), minute = doc.minute.substring(14, 16);
    for (var choice in doc.choices) {
      emit([doc.campaign_id, choice, day, hour, minute], doc.choices[choice]);
    }
  }
}
