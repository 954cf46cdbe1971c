namespace Archiver.CouchDb;

/// <summary>The server's welcome (<c>GET /</c>): CouchDB says <c>couchdb</c>, pouchdb-server <c>express-pouchdb</c>.</summary>
public sealed record CouchServerInfo(string Product, string Version, string? Vendor);
