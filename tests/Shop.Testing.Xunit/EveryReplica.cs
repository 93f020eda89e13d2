using Xunit;

namespace Shop.Testing;

/// <summary>
/// The one way a test says "on every replica": it keeps asking (a new connection each time, so the Aspire proxy
/// picks a replica at random) until every replica has answered, checks every answer, and then asserts that the
/// set of instances that answered IS the service's replica set, read from the app model
/// (<see cref="ShopApp.ReplicaInstances"/>) — not "more than one", not "as many as expected".
/// </summary>
public static class EveryReplica
{
    /// <summary>
    /// With three replicas picked at random per connection, 60 attempts miss one with probability about
    /// 3 · (2/3)^60 ≈ 1e-10.
    /// </summary>
    public const int MaxAttempts = 60;

    public static async Task<IReadOnlyList<T>> ShowsAsync<T>(
        IReadOnlySet<string> replicas, Func<Task<T>> ask, Func<T, string> instanceOf, Action<T> check, int minAnswers = 1)
    {
        var answers = new List<T>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var attempt = 0; attempt < MaxAttempts && (!seen.IsSupersetOf(replicas) || answers.Count < minAnswers); attempt++)
        {
            var answer = await ask();
            seen.Add(instanceOf(answer));
            check(answer);
            answers.Add(answer);
        }
        Assert.Equal(replicas.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        return answers;
    }

    /// <summary>GETs <paramref name="path"/> until every replica answered, checking each response.</summary>
    public static Task<IReadOnlyList<Answer>> ShowsAsync(IReadOnlySet<string> replicas, HttpClient replicaHoppingClient, string path, Action<Answer> check) =>
        ShowsAsync(replicas, async () =>
        {
            using var response = await replicaHoppingClient.GetAsync(path);
            return new Answer(response.Instance(), response.StatusCode, await response.Content.ReadAsStringAsync());
        }, answer => answer.Instance, check);

    /// <summary>One replica's answer to a GET.</summary>
    public sealed record Answer(string Instance, System.Net.HttpStatusCode Status, string Body);
}
