"""Menus and shortcuts for everything on the toolbar and in the editor."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QStyle

from playground import __version__

PLAY = QStyle.StandardPixmap.SP_MediaPlay
PAUSE = QStyle.StandardPixmap.SP_MediaPause
STEP = QStyle.StandardPixmap.SP_MediaSkipForward
RESET = QStyle.StandardPixmap.SP_BrowserReload


def _action(window, text: str, slot, shortcut=None, tip: str = "", icon=None) -> QAction:
    action = QAction(text, window)
    if icon is not None:
        action.setIcon(window.style().standardIcon(icon))
    if shortcut is not None:
        action.setShortcuts(shortcut if isinstance(shortcut, list) else [shortcut])
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    action.triggered.connect(slot)
    return action


def build_menus(window) -> dict[str, QAction]:
    """Space and "." are handled by the window only when no focused widget uses them
    (so Space still presses a focused button); their menu entries just show the key."""
    bar = window.menuBar()
    actions = {}

    file_menu = bar.addMenu("&File")
    pf = window.project_file
    actions["new"] = _action(window, "&New", pf.new, QKeySequence.StandardKey.New,
                             "Start again with the default network")
    actions["open"] = _action(window, "&Open…", pf.open, QKeySequence.StandardKey.Open)
    actions["save"] = _action(window, "&Save", pf.save, QKeySequence.StandardKey.Save)
    actions["save_as"] = _action(window, "Save &As…", pf.save_as,
                                 QKeySequence("Shift+Ctrl+S"))
    file_menu.addAction(actions["new"])
    with_data = file_menu.addMenu("New with &Data Set")
    with_data.setToolTipsVisible(True)
    for kind, text, tip in (
            ("penguins", "Palmer &penguins", "344 penguins, four measurements, three species"),
            ("blobs", "Two &blobs", "Two clouds of points: one straight line separates them"),
            ("circles", "&Circles", "A ring around a disc: needs a hidden layer"),
            ("xor", "&XOR", "Opposite corners belong together: needs a hidden layer"),
            ("spirals", "Two &spirals", "Two interleaved spirals: needs depth and patience"),
            ("surface", "Smooth s&urface (regression)",
             "Predict a height over the plane: hills and valleys no flat plane can follow")):
        action = _action(window, text, lambda _=False, k=kind: pf.new_with_dataset(k), tip=tip)
        action.setObjectName(f"dataset:{kind}")
        actions[f"dataset_{kind}"] = action
        with_data.addAction(action)
    actions["import_data"] = _action(
        window, "&Import Data…", pf.import_data, QKeySequence("Ctrl+Shift+I"),
        "Import a CSV file as the data set: choose the label and the features (Ctrl+Shift+I)")
    actions["import_data"].setObjectName("import_data")
    file_menu.addAction(actions["import_data"])
    file_menu.addAction(actions["open"])
    recent = file_menu.addMenu("Open &Recent")
    recent.setObjectName("recentMenu")
    recent.aboutToShow.connect(window.fill_recent_menu)
    window.recent_menu = recent
    file_menu.addAction(actions["save"])
    file_menu.addAction(actions["save_as"])
    export = file_menu.addMenu("&Export")
    ex = window.exports
    for key, text, slot in (("export_onnx", "ONNX model…", ex.onnx),
                            ("export_weights", "Weights (safetensors + JSON)…", ex.weights),
                            ("export_script", "Training script (for torchrun)…", ex.script),
                            ("export_png", "Plots as PNG…", ex.plots_png),
                            ("export_svg", "Plots as SVG…", ex.plots_svg),
                            ("export_history", "History as CSV…", ex.history)):
        actions[key] = _action(window, text, slot)
        export.addAction(actions[key])
    file_menu.addSeparator()
    actions["quit"] = _action(window, "&Quit", window.close, QKeySequence.StandardKey.Quit)
    file_menu.addAction(actions["quit"])

    edit = bar.addMenu("&Edit")
    undo = window.undo_stack.createUndoAction(window, "&Undo")
    undo.setShortcut(QKeySequence.StandardKey.Undo)
    redo = window.undo_stack.createRedoAction(window, "&Redo")
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    edit.addAction(undo)
    edit.addAction(redo)
    actions["undo"], actions["redo"] = undo, redo

    train = bar.addMenu("&Training")
    actions["train"] = _action(window, "Train", window.toggle_training,
                               tip="Start training (Space)", icon=PLAY)
    actions["step"] = _action(window, "Step", window.step_epoch, QKeySequence("Ctrl+Right"),
                              "Train exactly one epoch (. or Ctrl+Right)", STEP)
    actions["reset"] = _action(window, "Reset", window.reset_training, QKeySequence("Ctrl+R"),
                               "New random weights, and the seed, split and device chosen "
                               "(Ctrl+R; undoable)", RESET)
    train.addAction(_menu_twin(window, actions["train"], "Train / Pause\tSpace"))
    train.addAction(_menu_twin(window, actions["step"], "Step one epoch\t."))
    train.addAction(actions["reset"])
    train.addSeparator()
    actions["variants"] = _action(window, "Train &variants…", lambda: _open_variants(window),
                                  tip="Train the network as up to 64 variants side by side: "
                                      "other seeds, learning rates, weight decay, L1, dropout")
    actions["variants"].setObjectName("trainVariants")
    train.addAction(actions["variants"])

    network = bar.addMenu("&Network")
    actions["add_layer"] = _action(window, "&Add hidden layer", window.editor.add_layer,
                                   QKeySequence("Ctrl+L"))
    actions["remove_layer"] = _action(window, "&Remove hidden layer",
                                      window.editor.remove_layer, QKeySequence("Ctrl+Shift+L"))
    network.addAction(actions["add_layer"])
    network.addAction(actions["remove_layer"])

    view = bar.addMenu("&View")
    for dock in window.docks.values():
        view.addAction(dock.toggleViewAction())
    view.addSeparator()
    actions["neuron_maps"] = window.neuron_maps.action
    view.addAction(actions["neuron_maps"])

    help_menu = bar.addMenu("&Help")
    actions["learn"] = _action(window, "&Learn the concepts", lambda: _open_dock(window,
                               "learnDock"), QKeySequence(QKeySequence.StandardKey.HelpContents))
    help_menu.addAction(actions["learn"])
    actions["about"] = _action(window, "&About", lambda: window.dialogs.about(
        "About Neural Network Playground",
        f"<b>Neural Network Playground</b> {__version__}<br>Design a network, watch it "
        "learn, classify penguins.<br>Penguin data: Palmer Station LTER (CC0)."))
    help_menu.addAction(actions["about"])
    for a in actions.values():
        window.addAction(a)  # shortcuts work even when the menu bar is hidden
    return actions


def _open_dock(window, name: str) -> None:
    dock = window.docks[name]
    dock.show()
    dock.raise_()


def _open_variants(window) -> None:
    from playground.ui.variants.variants_window import open_variants

    open_variants(window)


def _menu_twin(window, action: QAction, text: str) -> QAction:
    """A menu entry that triggers `action` and shows a key handled by the window."""
    twin = QAction(text, window)
    twin.triggered.connect(action.trigger)
    action.changed.connect(lambda: twin.setEnabled(action.isEnabled()))
    return twin
