// Console keyboard shortcuts: "?" opens the help, Escape closes the navigation drawer, "g" then a letter goes to a page.
const pages = { d: "/", r: "/run", a: "/audit", i: "/inbox", t: "/tools", s: "/system" };

function isTyping(target) {
  return target instanceof HTMLElement
    && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

export function register(layout) {
  let awaitingPage = false;
  const onKeyDown = (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (event.key === "Escape") {
      // A dialog or menu handles its own Escape first.
      if (!document.querySelector(".mud-dialog-container, .mud-popover-open")) {
        layout.invokeMethodAsync("CloseDrawer");
      }
      return;
    }
    if (isTyping(event.target)) {
      return;
    }
    if (awaitingPage) {
      awaitingPage = false;
      if (pages[event.key]) {
        event.preventDefault();
        layout.invokeMethodAsync("GoTo", pages[event.key]);
      }
      return;
    }
    if (event.key === "?") {
      event.preventDefault();
      layout.invokeMethodAsync("ShowShortcuts");
    } else if (event.key === "g") {
      awaitingPage = true;
    }
  };
  document.addEventListener("keydown", onKeyDown);
  return { dispose: () => document.removeEventListener("keydown", onKeyDown) };
}
