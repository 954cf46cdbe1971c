namespace Archiver.CouchDb;

/// <summary><c>GET /{db}</c>. <see cref="UpdateSeq"/> is opaque (a string in CouchDB 3, a number in pouchdb-server), kept as text.</summary>
public sealed record CouchDatabaseInfo(string Name, long DocCount, long DocDeleteCount, string UpdateSeq);
