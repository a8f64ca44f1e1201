// What the GUI tests share: a test's own folder for its settings and data, the dashboard as the app wires it
// (window + training controller) on the forum's default settings, at the smallest supported size, shown
// offscreen, with Qt's model tester on its runs model, and a spy on the controller's events.
#pragma once

#include "app/guiwiring.h"
#include "app/trainingcontroller.h"
#include "model/journal.h"
#include "ui/charts/chartbase.h"
#include "ui/controls/controlpanel.h"
#include "ui/figures/exportmenu.h"
#include "ui/live/banner.h"
#include "ui/live/liveview.h"
#include "ui/runs/runlist.h"
#include "ui/runs/runmodel.h"
#include "ui/window/mainwindow.h"
#include "ui/window/presetmenu.h"

#include <QAbstractItemModelTester>
#include <QDeadlineTimer>
#include <QFile>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsTextItem>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include <cmath>
#include <cstdint>
#include <memory>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

namespace guitest {

// The text of each <text> element of an SVG (its tspans joined, white space folded); an XML error as the only
// entry.
inline QStringList svgTexts(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QXmlStreamReader xml(&file);
    QStringList texts;
    while (!xml.atEnd())
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("text"))
            texts << xml.readElementText(QXmlStreamReader::IncludeChildElements).simplified();
    return xml.hasError() ? QStringList{QStringLiteral("XML error: ") + xml.errorString()} : texts;
}

// A run status in words ("finished"): what QCOMPARE prints when two differ.
inline QString statusText(reglab::RunStatus status)
{
    return QString::fromStdString(reglab::toString(status));
}

// A finished run: `epochs` epochs of `stepsPerEpoch` steps, loss falling, accuracy rising (a stronger l1, a
// higher loss).
inline reglab::RunRecord finishedRun(double l1, int epochs = 3, int stepsPerEpoch = 20)
{
    reglab::RunRecord r;
    r.config.l1 = l1;
    r.config.epochs = epochs;
    r.status = reglab::RunStatus::Finished;
    for (int s = 1; s <= epochs * stepsPerEpoch; ++s) {
        reglab::StepRecord step;
        step.step = s;
        step.epoch = (s - 1) / stepsPerEpoch + 1;
        step.dataLoss = 2.0 / std::sqrt(double(s));
        step.l1Term = l1 * 10;
        step.loss = step.dataLoss + step.l1Term;
        step.l1 = l1;
        r.steps.push_back(step);
    }
    for (int e = 1; e <= epochs; ++e) {
        reglab::EpochRecord epoch;
        epoch.epoch = e;
        epoch.step = std::int64_t(e) * stepsPerEpoch;
        epoch.valAccuracy = 0.5 + 0.1 * e;
        epoch.testAccuracy = 0.45 + 0.1 * e;
        epoch.layers.push_back({});
        epoch.layers.back().smallFraction = 0.1 * e;
        r.epochs.push_back(epoch);
    }
    return r;
}

// Calls visit(chart, item, text) for every text on screen in `window`'s charts (tick labels, titles, legends).
template <typename Visit>
void forEachChartText(QWidget *window, Visit visit)
{
    for (reglab::ui::ChartBase *chart : window->findChildren<reglab::ui::ChartBase *>()) {
        if (!chart->isVisible() || !chart->scene())
            continue;
        for (QGraphicsItem *item : chart->scene()->items()) {
            if (!item->isVisible())
                continue;
            QString text;
            if (auto *t = dynamic_cast<QGraphicsTextItem *>(item))
                text = t->toPlainText();
            else if (auto *s = dynamic_cast<QGraphicsSimpleTextItem *>(item))
                text = s->text();
            visit(chart, item, text);
        }
    }
}

// Every chart text on screen that reaches past its chart's edge, where the view cuts it ("0000" of "10000", ".00"
// of "0.00").
inline QStringList textsPastTheEdge(QWidget *window)
{
    QStringList cut;
    forEachChartText(window, [&](reglab::ui::ChartBase *chart, QGraphicsItem *item, const QString &text) {
        const QRectF visible = chart->mapToScene(chart->viewport()->rect()).boundingRect().adjusted(-1, -1, 1, 1);
        const QRectF r = item->sceneBoundingRect();
        if (!text.isEmpty() && !visible.contains(r))
            cut << QStringLiteral("%1: '%2' at %3,%4 %5x%6 in %7x%8")
                       .arg(chart->chart()->title(), text)
                       .arg(r.x())
                       .arg(r.y())
                       .arg(r.width())
                       .arg(r.height())
                       .arg(visible.width() - 2)
                       .arg(visible.height() - 2);
    });
    return cut;
}

// A finished run with what the network views draw: per-epoch layer statistics, its last histograms and its last
// weights (fc1 784 wide, as the weight images need). `sparse`: an L1 run whose weights went to zero.
inline std::pair<reglab::RunRecord, std::shared_ptr<reglab::WeightSnapshot>> networkRun(bool sparse, int epochs)
{
    reglab::RunRecord r = finishedRun(sparse ? 0.01 : 0, epochs);
    if (!sparse)
        r.config.l2 = 0.01;
    for (auto &e : r.epochs) {
        e.layers.clear();
        const double t = double(e.epoch) / epochs;
        for (const char *name : {"fc1", "fc2", "fc3"}) {
            reglab::LayerStats l;
            l.name = name;
            l.smallFraction = sparse ? 0.2 + 0.75 * t : 0.05;
            l.zeroFraction = sparse ? 0.1 * t : 0;
            l.l1Norm = sparse ? 12000 * (1 - 0.9 * t) : 9000 + 100 * e.epoch;
            l.l2Norm = sparse ? 40 * (1 - 0.8 * t) : 35;
            e.layers.push_back(l);
        }
    }
    auto snapshot = std::make_shared<reglab::WeightSnapshot>();
    snapshot->epoch = epochs;
    snapshot->step = r.epochs.back().step;
    std::uint32_t state = sparse ? 7 : 11;
    const auto next = [&state] {
        state = state * 1664525u + 1013904223u;
        return double(state >> 8) / double(1 << 24) - 0.5;
    };
    for (auto [name, rows, cols] : {std::tuple{"fc1", 200, 784}, {"fc2", 200, 200}, {"fc3", 10, 200}}) {
        reglab::WeightSnapshot::Layer layer{name, rows, cols, {}};
        reglab::WeightHistogram h;
        h.name = name;
        h.counts.assign(reglab::kHistogramBins, 0);
        for (int i = 0; i < rows * cols; ++i) {
            const double w = sparse ? (std::abs(next()) < 0.45 ? 0.0 : next() * 0.3) : next() * 0.2;
            layer.weights.push_back(float(w));
            const int bin = int((w - h.low) / (h.high - h.low) * reglab::kHistogramBins);
            if (bin < 0)
                ++h.below;
            else if (bin >= reglab::kHistogramBins)
                ++h.above;
            else
                ++h.counts[std::size_t(bin)];
            h.zeros += w == 0;
        }
        snapshot->layers.push_back(std::move(layer));
        snapshot->histograms.push_back(h);
    }
    r.weightHistograms = snapshot->histograms;
    return {r, snapshot};
}

// A test's settings (and Qt's standard paths) go to `dir`, never the user's; the run events' types are
// registered for queued signals and QSignalSpy.
inline void isolateSettings(const QString &dir)
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir);
    reglab::app::registerEventTypes();
}

// A test's own folder, removed at its end: its settings and Qt's standard paths go there (isolateSettings) and,
// with `data`, the runs that persisting windows keep and the journals of runs too (XDG_DATA_HOME), never the
// user's. In initTestCase: QVERIFY(m_dir.enter()), before anything computes the journal folder.
class TestFolder {
public:
    bool enter(bool data = false)
    {
        if (!m_dir.isValid())
            return false;
        isolateSettings(m_dir.path());
        if (data)
            qputenv("XDG_DATA_HOME", filePath(QStringLiteral("data")).toLocal8Bit());
        return true;
    }
    QString path() const { return m_dir.path(); }
    QString filePath(const QString &name) const { return m_dir.filePath(name); }

private:
    QTemporaryDir m_dir;
};

// Qt's model tester on `model` for as long as `parent` lives: a change the model reports wrongly (rows inserted
// without beginInsertRows, a dataChanged outside the model, ...) fails the running test.
inline void testModel(QAbstractItemModel *model, QObject *parent)
{
    new QAbstractItemModelTester(model, QAbstractItemModelTester::FailureReportingMode::QtTest, parent);
}

// The events of one type that a controller sent, in order: QSignalSpy for one alternative of the event stream.
template <typename T> class Spy : public QObject {
public:
    explicit Spy(reglab::app::TrainingController *controller)
    {
        QObject::connect(controller, &reglab::app::TrainingController::event, this,
                         [this](const reglab::TrainEvent &event) {
                             if (const auto *value = std::get_if<T>(&event))
                                 m_values.push_back(*value);
                         });
    }
    int count() const { return int(m_values.size()); }
    bool isEmpty() const { return m_values.empty(); }
    const T &at(int i) const { return m_values.at(std::size_t(i)); }
    // The newest; a default value when there is none.
    T last() const { return m_values.empty() ? T{} : m_values.back(); }
    const std::vector<T> &values() const { return m_values; }
    // Waits (processing events) until one more arrives; false after `timeoutMs`.
    bool wait(int timeoutMs = 5000)
    {
        const std::size_t before = m_values.size();
        QDeadlineTimer deadline(timeoutMs);
        while (m_values.size() == before && !deadline.hasExpired())
            QTest::qWait(5);
        return m_values.size() > before;
    }

private:
    std::vector<T> m_values;
};

// The journals of interrupted runs in the (test's) journal folder.
inline QStringList interruptedRuns()
{
    QStringList paths;
    for (const std::string &path : reglab::interruptedJournals(reglab::defaultJournalDir()))
        paths << QString::fromStdString(path);
    return paths;
}

struct Dashboard {
    std::unique_ptr<reglab::ui::MainWindow> window;
    std::unique_ptr<reglab::app::TrainingController> controller;

    // `fixedSize`: 1280x720 and shown at once (most tests); otherwise the size a first start picks, not shown.
    explicit Dashboard(bool persist = false, bool fixedSize = true)
        : window(std::make_unique<reglab::ui::MainWindow>(persist)),
          controller(std::make_unique<reglab::app::TrainingController>())
    {
        testModel(window->runs(), window.get());
        reglab::app::connectWindow(*window, *controller);
        window->controls()->setConfig(reglab::ui::ControlPanel::defaultConfig());
        if (fixedSize) {
            window->resize(1280, 720);
            window->show();
        }
    }
    ~Dashboard()
    {
        controller->shutdown(2000);
        controller.reset(); // waits for a thread still ending
        window.reset();
    }
    reglab::ui::ControlPanel *controls() const { return window->controls(); }
};

} // namespace guitest
