"""Reads coffer-gui's window through the desktop's accessibility bus (AT-SPI), as a screen reader does.

Run by scripts/a11y-test with Debian's python3 and python3-pyatspi, inside a D-Bus session with the AT-SPI bus up.

    atspi_tree.py hidden            the app is on the bus but publishes none of its window (the default)
    atspi_tree.py shown SECRET      the window is published (screen reader support on); the password field that
                                    SECRET was typed into shows only mask characters
"""
import sys
import time

import pyatspi

APP = "coffer-gui"
HEADING = "Create your vault"


def nodes(root, depth=0):
    """(role, name, text) of root and everything below it."""
    if depth > 60:
        return
    try:
        role, name = root.getRoleName(), root.name or ""
    except Exception:  # a node that went away while we walked
        return
    text = ""
    try:
        t = root.queryText()
        text = t.getText(0, -1) or ""
    except NotImplementedError:
        pass
    except Exception:
        pass
    yield role, name, text
    for i in range(root.childCount):
        child = root.getChildAtIndex(i)
        if child is not None:
            yield from nodes(child, depth + 1)


def app():
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        a = desktop.getChildAtIndex(i)
        if a is not None and a.name == APP:
            return a
    return None


def wait(predicate, what, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    sys.exit(f"atspi: timed out waiting for {what}")


def main():
    mode = sys.argv[1]
    a = wait(app, f"{APP} on the accessibility bus")
    if mode == "hidden":
        time.sleep(2)  # give a (wrongly) published tree time to arrive
        found = list(nodes(a))
        names = [n for _, n, _ in found]
        if any(HEADING in n for n in names):
            sys.exit(f"atspi: FAIL: the window is published although screen reader support is off: {names[:12]}")
        print(f"atspi: ok: {APP} is on the bus with {len(found)} node(s) and none of its window")
    elif mode == "shown":
        secret = sys.argv[2]
        wait(lambda: any(HEADING in n for _, n, _ in nodes(app() or a)), f"'{HEADING}' on the bus")
        found = list(nodes(app() or a))
        fields = [(n, t) for r, n, t in found if r == "password text"]
        if [n for n, _ in fields] != ["Password:", "Password again:"]:
            sys.exit(f"atspi: FAIL: expected the two labelled password fields, got {fields}")
        typed = wait(
            lambda: [t for r, n, t in nodes(app() or a) if r == "password text" and n == "Password:" and t],
            "the typed password's mask",
        )[0]
        if any(c.isalnum() for c in typed):
            sys.exit(f"atspi: FAIL: the password field shows its text: {typed!r}")
        leaks = [(r, n) for r, n, t in nodes(app() or a) if secret in n or secret in t]
        if leaks:
            sys.exit(f"atspi: FAIL: the typed password is readable on the bus: {leaks}")
        print(f"atspi: ok: {len(found)} nodes published; the password field reads {len(typed)} mask characters")
    else:
        sys.exit(f"unknown mode {mode}")


main()
