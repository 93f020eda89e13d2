namespace Shop.Cart.Api;

/// <summary>Configuration section <c>Checkout</c>: how hard checkout tries the catalog, and when the sweep steps in.</summary>
public sealed class CheckoutOptions
{
    public const string SectionName = "Checkout";

    /// <summary>
    /// Tries per reserve call. Safe to repeat because every try carries the same reservation id: a try whose answer
    /// was lost after the catalog applied it is answered again without taking the stock twice.
    /// </summary>
    public int ReserveAttempts { get; set; } = 3;

    /// <summary>Tries per release call; a release is idempotent too.</summary>
    public int ReleaseAttempts { get; set; } = 3;

    /// <summary>Pause between two tries of one call: long enough for a catalog replica's blip, short for a shopper.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// A call is tried again only while this little time has passed since its first try: a lost answer or a refused
    /// connection fails fast and is worth another try, a catalog that hangs has already cost a whole attempt timeout
    /// and the shopper should get the 503 instead of three of them.
    /// </summary>
    public TimeSpan RetryWindow { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long one release may take before checkout stops waiting and leaves it to the sweep (which releases by the
    /// same id later): a catalog that does not answer must not double the time a shopper waits for the 503.
    /// </summary>
    public TimeSpan ReleaseTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a checkout may keep the shopper waiting on a catalog that does not answer: the release after a
    /// reserve that went unanswered gets what is left of it since the checkout began, and a release that no longer
    /// fits is left to the sweep, which releases by the same id. With the catalog hanging, the reserve and then the
    /// release each waited out their timeouts and the 503 took 4.1 s; now it comes within 3 s. (A release after an
    /// answer, such as "not enough stock", is not bounded by it: that catalog is answering.)
    /// </summary>
    public TimeSpan Budget { get; set; } = TimeSpan.FromSeconds(2.5);

    /// <summary>
    /// An open reservation older than this has lost its checkout (a replica died, or the catalog could not be told
    /// to release): the sweep releases it, and a checkout that is somehow still running can no longer place its order.
    /// Far longer than any checkout, whose catalog calls are bounded by the resilience timeouts.
    /// </summary>
    public TimeSpan ReservationTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often each replica looks for reservations past <see cref="ReservationTimeout"/>.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>At most this many reservations are released per sweep, so one sweep stays short.</summary>
    public int SweepBatch { get; set; } = 100;

    /// <summary>
    /// TTL of the open-reservation markers and their index, refreshed by every checkout and sweep: it only expires when no Cart.Api
    /// replica has run for this long.
    /// </summary>
    public TimeSpan OpenReservationsTtl { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// On a Redis Cluster, how long a placed order waits for a replica of its master to confirm it has the order
    /// (<c>WAIT 1</c>) before it is answered anyway, with a warning: replication is asynchronous, and a master that
    /// dies before its replica copied the commit would take the order with it.
    /// </summary>
    public TimeSpan ReplicaAckTimeout { get; set; } = TimeSpan.FromMilliseconds(500);
}
