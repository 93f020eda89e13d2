using Shop.Bench.Soak;

namespace Shop.Bench.Tests.Soak;

public sealed class SoakArgumentsTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("10m", 600)]
    [InlineData("30m", 1800)]
    [InlineData("1h30m", 5400)]
    [InlineData("1m30s", 90)]
    [InlineData("2.5m", 150)]
    [InlineData("6M", 360)]
    public void DurationsAreReadInSecondsMinutesAndHoursAndTheirCombinations(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), DurationText.Parse(text, "--soak"));

    [Theory]
    [InlineData("6m")]
    [InlineData("90s")]
    [InlineData("1h30m")]
    [InlineData("1h0m5s")]
    public void TheReportWritesADurationAsTheCommandLineTakesIt(string text) =>
        Assert.Equal(DurationText.Parse(text, "--soak"), DurationText.Parse(DurationText.Argument(DurationText.Parse(text, "--soak")), "--soak"));

    [Theory]
    [InlineData("30")]
    [InlineData("10x")]
    [InlineData("")]
    [InlineData("0s")]
    [InlineData("-5m")]
    [InlineData("m")]
    [InlineData("5 m")]
    public void ABareNumberAnUnknownUnitOrNoTimeAtAllIsRefused(string text) =>
        Assert.Throws<ArgumentException>(() => DurationText.Parse(text, "--soak"));

    [Fact]
    public void WithoutSoakTheBenchRunsItsScenariosAsBefore()
    {
        Assert.Null(BenchOptions.Parse([]).Soak);
        Assert.Null(BenchOptions.Parse(["--quick", "--connections", "16"]).Soak);
    }

    [Fact]
    public void APageRenderedPerShopperWarmsUpLongEnoughForTheJitToSettleWhateverTheOtherRowsWarmUp()
    {
        Assert.Equal(TimeSpan.FromSeconds(2), BenchOptions.Parse([]).Warmup);
        Assert.Equal(TimeSpan.FromSeconds(20), BenchOptions.Parse([]).RenderedPageWarmup);
        Assert.Equal(TimeSpan.FromSeconds(30), BenchOptions.Parse(["--warmup", "30s"]).RenderedPageWarmup);
        Assert.Equal(TimeSpan.Zero, BenchOptions.Parse(["--quick"]).RenderedPageWarmup);
    }

    [Fact]
    public void AThirtyMinuteSoakWarmsUpForTheFullFiveMinutes()
    {
        var soak = BenchOptions.Parse(["--soak", "30m"]).Soak!;

        Assert.Equal(TimeSpan.FromMinutes(30), soak.Duration);
        Assert.Equal(TimeSpan.FromMinutes(5), soak.Warmup);
    }

    [Theory]
    [InlineData("6m", 120)]
    [InlineData("90s", 30)]
    [InlineData("15m", 300)]
    [InlineData("1h", 300)]
    public void AShortSoakWarmsUpForAThirdOfItsLengthAndNoSoakForMoreThanFiveMinutes(string duration, int warmupSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(warmupSeconds), BenchOptions.Parse(["--soak", duration]).Soak!.Warmup);

    [Fact]
    public void EverySoakSettingIsTakenWhateverItsPlaceOnTheCommandLine()
    {
        var soak = BenchOptions.Parse(["--soak-rate", "250", "--soak-warmup", "1m", "--soak", "10m",
            "--soak-interval", "5s", "--soak-connections", "4", "--soak-tolerance", "5"]).Soak!;

        Assert.Equal(TimeSpan.FromMinutes(10), soak.Duration);
        Assert.Equal(TimeSpan.FromMinutes(1), soak.Warmup);
        Assert.Equal(TimeSpan.FromSeconds(5), soak.SampleInterval);
        Assert.Equal(250, soak.RequestsPerSecond);
        Assert.Equal(4, soak.Connections);
        Assert.Equal(0.05, soak.Tolerance, precision: 10);
    }

    [Fact]
    public void ASoakWithoutSettingsSamplesEveryTenSecondsAtTheIssuesRateAndBand()
    {
        var soak = BenchOptions.Parse(["--soak", "6m"]).Soak!;

        Assert.Equal(TimeSpan.FromSeconds(10), soak.SampleInterval);
        Assert.Equal(600, soak.RequestsPerSecond);
        Assert.Equal(8, soak.Connections);
        Assert.Equal(0.10, soak.Tolerance, precision: 10);
    }

    [Theory]
    [InlineData("--soak-rate", "600")]
    [InlineData("--soak-warmup", "2m")]
    [InlineData("--soak-interval", "5s")]
    public void ASoakSettingWithoutSoakIsRefusedRatherThanIgnored(string argument, string value) =>
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse([argument, value]));

    [Theory]
    [InlineData("6m", "--soak-warmup", "6m")]
    [InlineData("6m", "--soak-warmup", "7m")]
    [InlineData("1m", "--soak-interval", "30s")]
    [InlineData("6m", "--soak-rate", "0")]
    [InlineData("6m", "--soak-rate", "fast")]
    [InlineData("6m", "--soak-connections", "0")]
    [InlineData("6m", "--soak-tolerance", "0")]
    public void SettingsThatLeaveNothingToJudgeAreRefused(string duration, string argument, string value) =>
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--soak", duration, argument, value]));

    [Fact]
    public void SoakAndQuickAreRefusedTogether() =>
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--soak", "6m", "--quick"]));

    [Fact]
    public void ASoakWithoutItsDurationIsRefused() =>
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--soak"]));
}
