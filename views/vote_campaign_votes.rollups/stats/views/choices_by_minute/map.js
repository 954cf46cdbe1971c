function (doc) {
  // Only this folder's set: another set configured into the same database keeps its own rollups.
  // Votes per choice from the rollups' "choices" objects, one row per choice and minute: CouchDB's
  // _sum adds objects of numbers but pouchdb-server's only numbers and arrays, so the choice goes into
  // the key instead. group_level=2 gives a campaign's totals per choice, 3 per day, 4 per hour, 5 per
  // minute.
  // The choice is keyed as the hex of its UTF-16 code units (4 digits each), never as text: CouchDB
  // collates keys with ICU, which makes canonically equivalent strings (U+00E9 and e + U+0301) one
  // group. Strings of 0-9a-f of equal digit count collate as their bytes under every collation, so
  // distinct choices stay distinct groups. The reader decodes it (CouchCampaignStore.Choice).
  if (doc.type === 'rollup' && doc.set === 'vote_campaign_votes' && typeof doc.minute === 'string' && doc.choices) {
    var day = doc.minute.substring(0, 10), hour = doc.minute.substring(11, 13), minute = doc.minute.substring(14, 16);
    for (var choice in doc.choices) {
      var hex = '';
      for (var i = 0; i < choice.length; i++) {
        hex += ('000' + choice.charCodeAt(i).toString(16)).slice(-4);
      }
      emit([doc.campaign_id, hex, day, hour, minute], doc.choices[choice]);
    }
  }
}
