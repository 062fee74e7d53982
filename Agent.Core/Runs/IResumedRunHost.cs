namespace Agent.Core.Runs;

/// <summary>Where a resumed run lives while it continues: the web host tracks it like any run; without one it runs in the background.</summary>
public interface IResumedRunHost
{
    void Resume(ResumedRun run);
}
