using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace Agent.Web.Components.Layout;

public sealed partial class MainLayout : IAsyncDisposable
{
    [Inject] public required IJSRuntime JS { get; init; }
    [Inject] public required IDialogService Dialogs { get; init; }
    [Inject] public required NavigationManager Navigation { get; init; }

    private MudThemeProvider? _themeProvider;
    private IJSObjectReference? _themeStore;
    private IJSObjectReference? _shortcuts;
    private DotNetObjectReference<MainLayout>? _self;

    internal bool DrawerOpen { get; set; } = true;

    internal bool DarkMode { get; set; }

    /// <summary>True once the circuit is live; browser tests wait for it before typing.</summary>
    internal bool Interactive { get; private set; }

    /// <summary>
    /// Indigo primary and status colours with 4.5:1 text contrast (WCAG AA) on chips, buttons and alerts in both modes;
    /// MudBlazor's default success, warning and info fail that with white text.
    /// </summary>
    internal static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3949ab",
            AppbarBackground = "#283593",
            Secondary = "#6a1b9a",
            Success = "#2e7d32",
            Info = "#1565c0",
            Warning = "#a15c00",
            Error = "#c62828",
        },
        // Dark mode: light status colours with black text, so alerts (coloured text on the dark surface) and chips both reach 4.5:1.
        PaletteDark = new PaletteDark
        {
            Primary = "#9fa8da",
            PrimaryContrastText = "#000000",
            AppbarBackground = "#1a237e",
            Secondary = "#ce93d8",
            SecondaryContrastText = "#000000",
            Success = "#81c784",
            SuccessContrastText = "#000000",
            Info = "#90caf9",
            InfoContrastText = "#000000",
            Warning = "#ffb74d",
            WarningContrastText = "#000000",
            Error = "#ef9a9a",
            ErrorContrastText = "#000000",
            // MudBlazor's default (50 % white) is below 4.5:1 for labels, helper texts and captions.
            TextSecondary = "rgba(255,255,255,0.75)",
        },
    };

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }
        _themeStore = await JS.InvokeAsync<IJSObjectReference>("import", "./js/theme.js");
        // A remembered choice wins; otherwise follow the operating system.
        DarkMode = await _themeStore.InvokeAsync<bool?>("load") ?? (_themeProvider is not null && await _themeProvider.GetSystemDarkModeAsync());
        _self = DotNetObjectReference.Create(this);
        await using (var module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/shortcuts.js"))
        {
            _shortcuts = await module.InvokeAsync<IJSObjectReference>("register", _self);
        }
        Interactive = true;
        StateHasChanged();
    }

    [JSInvokable]
    public Task CloseDrawer() => InvokeAsync(() =>
    {
        DrawerOpen = false;
        StateHasChanged();
    });

    [JSInvokable]
    public Task ShowShortcuts() => InvokeAsync(() => Dialogs.ShowAsync<ShortcutHelp>("Keyboard shortcuts"));

    [JSInvokable]
    public Task GoTo(string path) => InvokeAsync(() => Navigation.NavigateTo(path));

    internal async Task ToggleDarkModeAsync()
    {
        DarkMode = !DarkMode;
        if (_themeStore is not null)
        {
            await _themeStore.InvokeVoidAsync("save", DarkMode);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_shortcuts is not null)
            {
                await _shortcuts.InvokeVoidAsync("dispose");
                await _shortcuts.DisposeAsync();
            }
            if (_themeStore is not null)
            {
                await _themeStore.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // The browser is gone; nothing to release.
        }
        _self?.Dispose();
    }
}
