"""The View menu's see-inside docks, added to the window hidden and built when first shown.

Each view's module is imported by its builder too: nothing of them is paid for at
start-up until a person opens one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt


def add_insight_views(window) -> None:
    """Register every see-inside view of `window` with its InsightViews (`window.insights`)."""
    session, views = window.session, window.insights
    bottom = Qt.DockWidgetArea.BottomDockWidgetArea

    def decision_map():
        from playground.ui.insight.decision_map import DecisionMap

        view = DecisionMap(session.dataset)
        view.scatter.rowChosen.connect(views.load_row)
        for combo in (view.scatter.x_choice, view.scatter.y_choice):
            combo.currentIndexChanged.connect(window.neuron_maps.axes_changed)
        return view

    def confusion():  # regression has no classes: predicted versus actual instead
        if session.dataset.is_regression:
            from playground.ui.insight.predicted_actual_view import PredictedActualView

            view = PredictedActualView(session.dataset)
        else:
            from playground.ui.insight.confusion_view import ConfusionView

            view = ConfusionView(session.dataset)
        view.rowChosen.connect(views.load_row)
        return view

    def explorer():
        from playground.ui.files.data_explorer import DataExplorer

        view = DataExplorer(session.dataset)
        view.rowChosen.connect(views.load_row)
        return view

    def explainer():
        from playground.ui.insight.forward_explainer import ForwardExplainer

        view = ForwardExplainer()
        view.columnChosen.connect(window.editor.view.mark_column)
        return view

    def inside():
        from playground.ui.insight.inside_view import InsideView

        return InsideView()

    def step_explainer():
        from playground.ui.insight.step_explainer import StepExplainer

        return StepExplainer(session, window.controller, window.controls, window.editor,
                             window.project_file, views)

    def runs():
        from playground.ui.runs.runs_view import RunsView

        return RunsView(window.runs, regression=session.dataset.is_regression)

    def learn():
        from playground.ui.insight.learn_panel import LearnPanel

        return LearnPanel(session, window, window.controls, window.plots, window.device_label)

    views.add("Decision map", "decisionMapDock", decision_map, bottom)
    views.add("Explain this prediction", "explainDock", explainer, bottom)
    views.add("Explain this training step", "explainStepDock", step_explainer, bottom)
    views.add("Inside the network", "insideDock", inside)
    views.add("Confusion matrix", "confusionDock", confusion)
    views.add("Data explorer", "dataExplorerDock", explorer, bottom)
    views.add("Runs", "runsDock", runs, bottom)
    views.add("Learn", "learnDock", learn, Qt.DockWidgetArea.LeftDockWidgetArea)


def title_task_docks(docks: dict, regression: bool) -> None:
    """Regression: the confusion matrix's dock holds predicted versus actual, and the
    plots show R² instead of accuracy."""
    docks["confusionDock"].setWindowTitle(
        "Predicted vs. actual" if regression else "Confusion matrix")
    docks["plots"].setWindowTitle("Loss and R²" if regression else "Loss and accuracy")
