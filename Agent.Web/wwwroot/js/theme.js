// Remembers the console's dark mode per browser.
const key = "agent-console-dark-mode";

export function load() {
  const saved = localStorage.getItem(key);
  return saved === null ? null : saved === "true";
}

export function save(dark) {
  localStorage.setItem(key, String(dark));
}
