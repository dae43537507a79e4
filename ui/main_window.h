#pragma once
// The Concurrency Lab main window: workload panel and backend picker on the left, plot views
// (tabs) over the results table on the right, run controls, progress and status below.
#include "engine_controller.h"
#include "figures.h"

#include <QMainWindow>
#include <optional>

class QAction;
class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;
class QTabWidget;

namespace conlab::ui {

class BackendPicker;
class BreakdownView;
class PlotView;
class ResultsModel;
class ThroughputView;
class TimelineView;
class WorkloadPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Non-interactive entry points (menus call these after their dialogs; tests call them directly).
    bool startRun(QString* error = nullptr);
    bool openFile(const QString& path, QString* error = nullptr);
    bool saveFile(const QString& path, QString* error = nullptr);
    bool exportFigure(FigureKind kind, const QString& path, QSize size, double scale,
                      QString* error = nullptr);
    bool exportData(const QString& path, QString* error = nullptr); // .csv or .json by suffix
    bool exportTrace(const QString& path, QString* error = nullptr);
    bool exportReportTo(const QString& dir, QString* error = nullptr);
    void copyTable();

    const std::optional<Experiment>& experiment() const { return m_experiment; }
    bool isModified() const { return isWindowModified(); }
    QString currentFile() const { return m_file; }

    WorkloadPanel* workloadPanel() const { return m_panel; }
    BackendPicker* backendPicker() const { return m_picker; }
    EngineController* controller() const { return m_controller; }
    ResultsModel* resultsModel() const { return m_model; }
    QSortFilterProxyModel* resultsProxy() const { return m_proxy; }
    ThroughputView* throughputView() const { return m_throughput; }
    BreakdownView* breakdownView() const { return m_breakdown; }
    TimelineView* timelineView() const { return m_timeline; }
    QAction* runAction() const { return m_runAction; }
    QAction* stopAction() const { return m_stopAction; }
    QLabel* runBlockedLabel() const { return m_blockedLabel; }
    QProgressBar* progressBar() const { return m_progress; }

  signals:
    void experimentChanged();

  protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void changeEvent(QEvent* event) override;

  private:
    void buildUi();
    void buildMenus();
    void updateRunEnabled();
    void updateTitle();
    void setExperiment(const Experiment& ex, const QString& file, bool modified);
    void clearResults();
    void addRecentFile(const QString& path);
    void rebuildRecentMenu();
    void loadSettings();
    void saveSettings() const;
    void applyThemeToViews();
    PlotView* viewFor(FigureKind kind) const;

    // Dialog wrappers.
    void openDialog();
    bool saveAsDialog();
    bool save();
    void exportFigureDialog(FigureKind kind);
    void exportDataDialog();
    void exportTraceDialog();
    void exportReportDialog();
    void pythonPathDialog();

    void onProgress(const RunProgress& p);
    void onBackendFinished(const BackendRun& run);
    void onFinished(const Experiment& ex);
    void onFailed(const QString& message);

    EngineController* m_controller;
    WorkloadPanel* m_panel = nullptr;
    BackendPicker* m_picker = nullptr;
    QPushButton *m_runButton = nullptr, *m_stopButton = nullptr;
    QLabel* m_blockedLabel = nullptr;
    QTabWidget* m_tabs = nullptr;
    ThroughputView* m_throughput = nullptr;
    BreakdownView* m_breakdown = nullptr;
    TimelineView* m_timeline = nullptr;
    ResultsModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QTableView* m_table = nullptr;
    QSplitter *m_mainSplitter = nullptr, *m_rightSplitter = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_statusLabel = nullptr;
    QAction *m_runAction = nullptr, *m_stopAction = nullptr, *m_saveAction = nullptr,
            *m_saveAsAction = nullptr;
    QList<QAction*> m_needResults;
    QMenu* m_recentMenu = nullptr;

    std::optional<Experiment> m_experiment; // the finished (or loaded) experiment
    Experiment m_live;                      // the run in progress: spec + finished backends
    QString m_file;
    QString m_pythonPath;
    QString m_lastDir;
};

} // namespace conlab::ui
