#!/usr/bin/env python3
# The window as a screen reader reads it, through the real accessibility stack: RegLab runs under Xvfb with a
# D-Bus session and the AT-SPI bus; this script reads its tree over AT-SPI as Orca would. It checks that every
# focusable object on screen has a name, that the L1 strength's slider and box read as one setting with its
# range, and, after pressing Start for one epoch, that the accuracy chart's description gives the run's value,
# the digits their classes, and that the reader was told: an alert for a banner, the status bar's new name, the
# chart's new description.
#
# Usage: atspi_check.py PATH/TO/reglab [--dump FILE]
# Exits 77 (skipped) when pyatspi, xvfb-run or dbus-run-session is missing.
import os
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77


def skip(why):
    print(f"SKIP: {why}")
    sys.exit(SKIP)


def outer():
    """Starts the check again inside Xvfb and a D-Bus session of its own."""
    for tool in ("xvfb-run", "dbus-run-session"):
        if not shutil.which(tool):
            skip(f"{tool} is not installed (scripts/setup.sh installs it)")
    env = dict(os.environ, REGLAB_ATSPI_INNER="1")
    cmd = ["xvfb-run", "-a", "-s", "-screen 0 1366x768x24", "dbus-run-session", "--", sys.executable,
           os.path.abspath(__file__)] + sys.argv[1:]
    sys.exit(subprocess.call(cmd, env=env, stderr=subprocess.STDOUT if os.environ.get("REGLAB_ATSPI_QUIET") else None))


try:
    import pyatspi
    from gi.repository import GLib
except ImportError:
    # A Python of its own (pyenv, a venv) does not see Debian's python3-pyatspi: the system's Python does.
    if sys.executable != "/usr/bin/python3" and os.path.exists("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    skip("pyatspi is not installed (Debian: python3-pyatspi; scripts/setup.sh installs it)")

if not os.environ.get("REGLAB_ATSPI_INNER"):
    outer()

if len(sys.argv) < 2 or not os.access(sys.argv[1], os.X_OK):
    print("usage: atspi_check.py PATH/TO/reglab [--dump FILE]")
    sys.exit(2)
REGLAB = sys.argv[1]
DUMP = sys.argv[sys.argv.index("--dump") + 1] if "--dump" in sys.argv else None

failures = []
told = []  # (event type, role, name) of what the reader was told


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def on_event(event):
    try:
        told.append((event.type, event.source.getRoleName(), event.source.name, event.detail1))
    except Exception:  # an object gone before its event is read
        pass


for kind in ("object:state-changed:showing", "object:property-change:accessible-name",
             "object:property-change:accessible-description"):
    pyatspi.Registry.registerEventListener(on_event, kind)
context = GLib.MainContext.default()


def pump(seconds):
    """Lets events arrive for `seconds`."""
    end = time.time() + seconds
    while time.time() < end:
        while context.iteration(False):
            pass
        time.sleep(0.02)


def walk(obj, visit, depth=0):
    try:
        visit(obj, depth)
        if obj.getRoleName() in ("table cell", "list item", "tree item"):
            return  # items are read by their views' models
        for child in obj:
            if child is not None:
                walk(child, visit, depth + 1)
    except Exception as error:  # an object that went away during the walk
        print(f"note: {error}")


def find(root, role, name=None, contains=None):
    found = []

    def visit(obj, _):
        if obj.getRoleName() == role and (name is None or obj.name == name) and \
                (contains is None or contains in obj.name):
            found.append(obj)
    walk(root, visit)
    return found


def showing_focusable(obj):
    states = obj.getState()
    return states.contains(pyatspi.STATE_FOCUSABLE) and states.contains(pyatspi.STATE_SHOWING)


home = tempfile.mkdtemp(prefix="reglab-atspi-")
env = dict(os.environ, QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1", QT_ACCESSIBILITY="1", QT_QPA_PLATFORM="xcb",
           HOME=home, XDG_CONFIG_HOME=os.path.join(home, "config"), XDG_DATA_HOME=os.path.join(home, "data"),
           XDG_CACHE_HOME=os.path.join(home, "cache"))
app = subprocess.Popen([REGLAB, "--reset-settings", "--epochs", "1"], env=env)
started = time.time()
try:
    reglab = None
    while reglab is None and time.time() - started < 15:
        pump(0.2)
        for candidate in pyatspi.Registry.getDesktop(0):
            if candidate is not None and candidate.name == "RegLab" and len(find(candidate, "push button", "Start")):
                reglab = candidate
    if reglab is None:
        print("FAIL RegLab did not appear on the AT-SPI bus within 15 s")
        sys.exit(1)
    pump(0.5)

    # Every focusable object on screen has a name.
    checked, unnamed = [0], []

    def named(obj, _):
        if showing_focusable(obj):
            checked[0] += 1
            if not obj.name.strip():
                unnamed.append(f"{obj.getRoleName()} in {obj.parent.getRoleName()} '{obj.parent.name}'")
    walk(reglab, named)
    check(not unnamed, f"{checked[0]} focusable objects on screen, each with a name" +
          (": unnamed " + "; ".join(unnamed) if unnamed else ""))

    # The L1 strength: a slider and a box, both read as the setting with its range, the slider at the box's value.
    sliders, boxes = find(reglab, "slider", "L1 strength"), find(reglab, "spin button", "L1 strength")
    check(len(sliders) == 1 and len(boxes) == 1, "one slider and one box named 'L1 strength'")
    if sliders and boxes:
        for part in (sliders[0], boxes[0]):
            check("from 1e-05 to 1, or off" in part.description,
                  f"the {part.getRoleName()}'s description gives the range: '{part.description}'")
        sliders[0].queryValue().currentValue = 0.01  # as a reader sets a slider: by value
        pump(0.3)
        slider, box = sliders[0].queryValue().currentValue, boxes[0].queryValue().currentValue
        check(abs(slider - 0.01) < 1e-12 and abs(box - 0.01) < 1e-12,
              f"the slider set to 0.01 reads the strength ({slider}, not its notch), and the box follows ({box})")

    # A choice is named by its current value on Linux; its label reaches the reader as its "labelled by".
    def labels_of(obj):
        return [target.name for relation in obj.getRelationSet()
                if relation.getRelationType() == pyatspi.RELATION_LABELLED_BY
                for target in (relation.getTarget(i) for i in range(relation.getNTargets()))]
    methods = [c for c in find(reglab, "combo box") if "L1 applies to" in labels_of(c)]
    check(len(methods) == 1, "the L1 method's combo box is labelled by 'L1 applies to'")

    # The banner: File > Save run record before any run says why not, in an alert announced as it shows.
    told.clear()
    find(reglab, "menu item", "Save run record (JSON)…")[0].queryAction().doAction(0)
    alerts = []
    while not alerts and time.time() - started < 20:
        pump(0.1)
        alerts = [a for a in find(reglab, "alert") if a.getState().contains(pyatspi.STATE_SHOWING)]
    check(len(alerts) == 1 and "no run record" in alerts[0].name,
          "the banner is an alert named by its message: " + (repr(alerts[0].name) if alerts else "none"))
    check(any(t[0] == "object:state-changed:showing" and t[1] == "alert" and t[3] == 1 for t in told),
          "the reader was told the alert showed")

    # Start, as a reader's user would: the button's action.
    told.clear()
    start = find(reglab, "push button", "Start")[0]
    start.queryAction().doAction(0)
    charts = find(reglab, "chart", "Accuracy after each epoch")
    check(len(charts) == 1, "the accuracy chart is a chart named by its title")
    description = ""
    while charts and time.time() - started < 28:
        pump(0.25)
        description = charts[0].description
        if "at epoch 1" in description and any(t[0].endswith("accessible-description") and t[1] == "chart" and
                                                t[2] == "Accuracy after each epoch" for t in told):
            break  # the chart's new description is told at most a second after its data
    check("Test " in description and "% at epoch 1" in description,
          f"after the epoch the chart describes the run's value: '{description}'")
    check(any(t[0].endswith("accessible-description") and t[1] == "chart" and t[2] == "Accuracy after each epoch"
              for t in told), "the reader was told the chart's description changed")
    status = [t[2] for t in told if t[0].endswith("accessible-name") and t[1] == "status bar"]
    check(any("Test accuracy" in s for s in status),
          "the reader was told the status message: " + (repr(status[-1]) if status else "nothing"))
    tiles = find(reglab, "filler", contains="predicted")
    check(len(tiles) > 0 and tiles[0].name.startswith("True "),
          "each digit reads its true and predicted class: " + (repr(tiles[0].name) if tiles else "none"))

    if DUMP:
        with open(DUMP, "w", encoding="utf-8") as out:
            def dump(obj, depth):
                mark = " [focusable]" if showing_focusable(obj) else ""
                out.write(f"{'  ' * depth}{obj.getRoleName()} | {obj.name!r} | {obj.description!r}{mark}\n")
            walk(reglab, dump)
        print(f"the tree is in {DUMP}")
finally:
    app.terminate()
    try:
        app.wait(5)
    except subprocess.TimeoutExpired:
        app.kill()
    shutil.rmtree(home, ignore_errors=True)

print(f"{len(failures)} failed, in {time.time() - started:.1f} s")
sys.exit(1 if failures else 0)
