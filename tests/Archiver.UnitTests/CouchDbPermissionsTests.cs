using System.Net;
using Archiver.CouchDb.Internal;

namespace Archiver.UnitTests;

public sealed class CouchDbPermissionsTests
{
    [Theory]
    [InlineData("PUT", "archive_db", "creating or deleting database archive_db needs a CouchDB server admin; run 'archiver couchdb setup' as one")]
    [InlineData("PUT", "archive_db/_design/stats.staging", "writing design document _design/stats.staging of database archive_db needs an admin of that database")]
    [InlineData("COPY", "archive_db/_design%2Fstats.staging", "writing design document _design/stats.staging of database archive_db needs an admin of that database")]
    [InlineData("PUT", "archive_db/_security", "setting _security of database archive_db needs an admin of that database")]
    [InlineData("POST", "archive_db/_view_cleanup", "cleaning up view indexes of database archive_db needs an admin of that database")]
    [InlineData("POST", "archive_db/_bulk_docs", "writing database archive_db needs a member of it (its _security members)")]
    [InlineData("GET", "archive_db/_all_docs?startkey=%22a%22", "reading database archive_db needs a member of it (its _security members)")]
    [InlineData("GET", "archive_db/_design/entries/_view/by_user?stale=ok", "reading database archive_db needs a member of it (its _security members)")]
    [InlineData("GET", "_active_tasks", "GET /_active_tasks needs a CouchDB server admin")]
    public void A_refusal_names_the_database_the_operation_and_the_role(string method, string path, string expected)
    {
        var hint = CouchDbPermissions.Hint(new HttpMethod(method), path, HttpStatusCode.Forbidden);

        Assert.StartsWith("refused (403): ", hint, StringComparison.Ordinal);
        Assert.Contains(expected, hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_401_says_the_credentials_may_be_wrong_or_the_role_missing() =>
        Assert.StartsWith("refused (401: the credentials are missing or wrong, or the user lacks the role): reading database d",
            CouchDbPermissions.Hint(HttpMethod.Get, "d", HttpStatusCode.Unauthorized), StringComparison.Ordinal);
}
