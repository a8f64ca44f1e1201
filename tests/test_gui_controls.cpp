// The control panel's values: a damaged settings file gives the defaults, a value still being typed counts
// at Start, the learning rate reads what it shows in any locale, the wheel never changes the dataset (nor any
// box, combo box or slider without the focus: it scrolls the panel), and the
// dataset shown is the one used. Also the loss chart's axes and thinning, and where accuracy markers go.
#include "ui/charts/accuracychart.h"
#include "ui/charts/losschart.h"
#include "ui/controls/controlpanel.h"
#include "ui/controls/logslider.h"
#include "ui/window/mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "guitest.h"
#include <QScrollArea>
#include <QScrollBar>
#include <QSlider>
#include <QWheelEvent>

#include <memory>

#include <cmath>
#include <limits>

using reglab::ui::AccuracyChart;
using reglab::ui::ControlPanel;
using reglab::ui::LogSlider;
using reglab::ui::LossChart;
using reglab::ui::MainWindow;

class TestControls : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        guitest::isolateSettings(m_dir.path());
    }

    void init() { QSettings(QStringLiteral("RegLab"), QStringLiteral("RegLab")).clear(); }

    void damagedSettingsGiveDefaults()
    {
        {
            QSettings s(QStringLiteral("RegLab"), QStringLiteral("RegLab"));
            s.beginGroup(QStringLiteral("controls"));
            s.setValue(QStringLiteral("learningRate"), QStringLiteral("fast"));
            s.setValue(QStringLiteral("batchSize"), QStringLiteral("lots"));
            s.setValue(QStringLiteral("epochs"), -3);
            s.setValue(QStringLiteral("folds"), 100000);
            s.setValue(QStringLiteral("seed"), QStringLiteral("x"));
            s.setValue(QStringLiteral("l1"), QStringLiteral("nan"));
            s.setValue(QStringLiteral("l2"), 5.0); // above the slider's range
            s.setValue(QStringLiteral("l1Scope"), 7);
            s.setValue(QStringLiteral("l2Mode"), QStringLiteral("?"));
            s.setValue(QStringLiteral("device"), QStringLiteral("tpu"));
            s.setValue(QStringLiteral("optimizer"), 9);
            s.setValue(QStringLiteral("l1Method"), -1);
            s.setValue(QStringLiteral("momentum"), 1.5);
            s.setValue(QStringLiteral("nesterov"), QStringLiteral("maybe"));
            s.setValue(QStringLiteral("adamBeta1"), QStringLiteral("nan"));
            s.setValue(QStringLiteral("adamEps"), 0);
            s.setValue(QStringLiteral("leakySlope"), -2);
            s.setValue(QStringLiteral("hidden"), QStringLiteral("100,x"));
            s.setValue(QStringLiteral("dropout"), QStringLiteral("0.3,2"));
            s.endGroup();
        }
        MainWindow window(true);
        const reglab::TrainConfig c = window.controls()->config();
        const reglab::TrainConfig def = ControlPanel::defaultConfig();
        QCOMPARE(c.learningRate, def.learningRate);
        QCOMPARE(c.batchSize, def.batchSize);
        QCOMPARE(c.epochs, def.epochs);
        QCOMPARE(c.folds, def.folds);
        QCOMPARE(c.seed, def.seed);
        QCOMPARE(c.l1, def.l1);
        QCOMPARE(c.l2, def.l2);
        QCOMPARE(int(c.l1Scope), int(def.l1Scope));
        QCOMPARE(int(c.l2Mode), int(def.l2Mode));
        QCOMPARE(c.device, def.device);
        QCOMPARE(int(c.optimizer), int(def.optimizer));
        QCOMPARE(int(c.l1Method), int(def.l1Method));
        QCOMPARE(c.momentum, def.momentum);
        QCOMPARE(c.nesterov, def.nesterov);
        QCOMPARE(c.adamBeta1, def.adamBeta1);
        QCOMPARE(c.adamEps, def.adamEps);
        QCOMPARE(c.leakySlope, def.leakySlope);
        QCOMPARE(c.hidden, def.hidden);
        QCOMPARE(c.dropout, def.dropout);
    }

    void validSettingsStillLoad()
    {
        {
            QSettings s(QStringLiteral("RegLab"), QStringLiteral("RegLab"));
            s.beginGroup(QStringLiteral("controls"));
            s.setValue(QStringLiteral("learningRate"), QStringLiteral("0.05")); // strings, as in an INI file
            s.setValue(QStringLiteral("epochs"), QStringLiteral("7"));
            s.setValue(QStringLiteral("l1"), QStringLiteral("1e-4"));
            s.endGroup();
        }
        MainWindow window(true);
        const reglab::TrainConfig c = window.controls()->config();
        QCOMPARE(c.learningRate, 0.05);
        QCOMPARE(c.epochs, 7);
        QCOMPARE(c.l1, 1e-4);
    }

    // The optimizer's own settings show for the optimizer chosen; the config carries them.
    void optimizerControls()
    {
        ControlPanel p;
        p.show();
        QCOMPARE(p.widget<QComboBox>("optimizer")->currentData().toString(), QStringLiteral("sgd"));
        QVERIFY(p.widget<QDoubleSpinBox>("momentum")->isVisible());
        QVERIFY(!p.widget<QDoubleSpinBox>("adam_beta1")->isVisible());
        QVERIFY(!p.widget<QCheckBox>("nesterov")->isEnabled()); // no momentum, no Nesterov (PyTorch refuses it)
        p.widget<QDoubleSpinBox>("momentum")->setValue(0.9);
        QVERIFY(p.widget<QCheckBox>("nesterov")->isEnabled());
        p.widget<QCheckBox>("nesterov")->setChecked(true);
        reglab::TrainConfig c = p.config();
        QCOMPARE(c.momentum, 0.9);
        QVERIFY(c.nesterov);
        p.widget<QDoubleSpinBox>("momentum")->setValue(0);
        QVERIFY(!p.config().nesterov); // never a config that cannot run
        QVERIFY(reglab::validate(p.config()).empty());

        p.widget<QComboBox>("optimizer")->setCurrentIndex(p.widget<QComboBox>("optimizer")->findData(QStringLiteral("adam")));
        QVERIFY(!p.widget<QDoubleSpinBox>("momentum")->isVisible());
        QVERIFY(p.widget<QDoubleSpinBox>("adam_beta1")->isVisible());
        QVERIFY(p.widget<QDoubleSpinBox>("adam_eps")->isVisible());
        p.widget<QDoubleSpinBox>("adam_beta2")->setValue(0.99);
        p.widget<QDoubleSpinBox>("adam_eps")->setValue(1e-6);
        p.widget<QComboBox>("l1_method")->setCurrentIndex(p.widget<QComboBox>("l1_method")->findData(QStringLiteral("proximal")));
        c = p.config();
        QCOMPARE(int(c.optimizer), int(reglab::Optimizer::Adam));
        QCOMPARE(c.adamBeta1, 0.9);
        QCOMPARE(c.adamBeta2, 0.99);
        QCOMPARE(c.adamEps, 1e-6);
        QCOMPARE(int(c.l1Method), int(reglab::L1Method::Proximal));
        // The ranges are the core's.
        QCOMPARE(p.widget<QDoubleSpinBox>("adam_beta1")->maximum(), reglab::field("adam_beta1").hi);
        QVERIFY(p.widget<QDoubleSpinBox>("adam_eps")->minimum() > 0);

        // A config from a run record or preset shows as it is.
        c.optimizer = reglab::Optimizer::AdamW;
        c.adamBeta1 = 0.8;
        p.setConfig(c);
        QCOMPARE(p.widget<QComboBox>("optimizer")->currentData().toString(), QStringLiteral("adamw"));
        QCOMPARE(p.config().adamBeta1, 0.8);
    }

    // One to three hidden layers: a layer exists while it and those before it have units; a dropout box per layer.
    void networkShapeControls()
    {
        ControlPanel p;
        p.show();
        QCOMPARE(p.hiddenSizes(), (std::vector<int>{200, 200}));
        QCOMPARE(p.dropoutRates(), (std::vector<double>{0.3, 0.4}));
        QVERIFY(p.dropoutBoxes()[1]->isVisible());
        QVERIFY(!p.dropoutBoxes()[2]->isVisible());
        p.hiddenBoxes()[2]->setValue(50);
        p.dropoutBoxes()[2]->setValue(0.2);
        QCOMPARE(p.config().hidden, (std::vector<int>{200, 200, 50}));
        QCOMPARE(p.config().dropout, (std::vector<double>{0.3, 0.4, 0.2}));
        QVERIFY(p.dropoutBoxes()[2]->isVisible());
        p.hiddenBoxes()[1]->setValue(0); // "none": the third goes with it
        QCOMPARE(p.hiddenBoxes()[1]->text(), QStringLiteral("none"));
        QCOMPARE(p.config().hidden, (std::vector<int>{200}));
        QCOMPARE(p.config().dropout, (std::vector<double>{0.3}));
        QVERIFY(!p.hiddenBoxes()[2]->isEnabled());
        QVERIFY(!p.dropoutBoxes()[1]->isVisible());
        QVERIFY(reglab::validate(p.config()).empty());
        p.widget<QDoubleSpinBox>("leaky_slope")->setValue(0.2);
        QCOMPARE(p.config().leakySlope, 0.2);

        reglab::TrainConfig c = ControlPanel::defaultConfig();
        c.hidden = {64, 32, 16, 8}; // deeper than the window shows (reglab-train allows it): the first three
        c.dropout = {0.1, 0.2, 0.3, 0.4};
        p.setConfig(c);
        QCOMPARE(p.config().hidden, (std::vector<int>{64, 32, 16}));
        QCOMPARE(p.config().dropout, (std::vector<double>{0.1, 0.2, 0.3}));

        // Dropout is live: its boxes stay enabled in a run and send every layer's rate; the shape is fixed.
        QList<std::pair<std::string, std::string>> changes;
        connect(&p, &ControlPanel::settingChanged, this,
                [&](const std::string &key, const std::string &value) { changes.append({key, value}); });
        p.setRunState(ControlPanel::RunState::Running);
        QVERIFY(!p.hiddenBoxes()[0]->isEnabled());
        QVERIFY(!p.widget<QDoubleSpinBox>("leaky_slope")->isEnabled());
        QVERIFY(!p.widget<QComboBox>("optimizer")->isEnabled());
        QVERIFY(p.dropoutBoxes()[1]->isEnabled());
        p.dropoutBoxes()[1]->setValue(0.5);
        QCOMPARE(changes.size(), 1);
        QCOMPARE(changes.front().first, std::string("dropout"));
        QCOMPARE(changes.front().second, std::string("0.1,0.5,0.3"));
        p.setRunState(ControlPanel::RunState::Idle);
        QVERIFY(p.hiddenBoxes()[2]->isEnabled());
    }

    void newSettingsPersist()
    {
        {
            MainWindow window(true);
            ControlPanel *p = window.controls();
            p->widget<QComboBox>("optimizer")->setCurrentIndex(p->widget<QComboBox>("optimizer")->findData(QStringLiteral("adamw")));
            p->widget<QDoubleSpinBox>("adam_beta2")->setValue(0.98);
            p->widget<QDoubleSpinBox>("momentum")->setValue(0.5);
            p->widget<QCheckBox>("nesterov")->setChecked(true);
            p->widget<QComboBox>("l1_method")->setCurrentIndex(p->widget<QComboBox>("l1_method")->findData(QStringLiteral("proximal")));
            p->hiddenBoxes()[0]->setValue(100);
            p->hiddenBoxes()[2]->setValue(30);
            p->dropoutBoxes()[2]->setValue(0.25);
            p->widget<QDoubleSpinBox>("leaky_slope")->setValue(0.1);
            QSettings s(QStringLiteral("RegLab"), QStringLiteral("RegLab"));
            p->saveSettings(s);
        }
        MainWindow again(true);
        const reglab::TrainConfig c = again.controls()->config();
        QCOMPARE(int(c.optimizer), int(reglab::Optimizer::AdamW));
        QCOMPARE(c.adamBeta2, 0.98);
        QCOMPARE(c.momentum, 0.5);
        QVERIFY(c.nesterov);
        QCOMPARE(int(c.l1Method), int(reglab::L1Method::Proximal));
        QCOMPARE(c.hidden, (std::vector<int>{100, 200, 30}));
        QCOMPARE(c.dropout, (std::vector<double>{0.3, 0.4, 0.25}));
        QCOMPARE(c.leakySlope, 0.1);
    }

    void nonFiniteStrengthIsIgnored()
    {
        LogSlider slider;
        QSignalSpy changed(&slider, &LogSlider::valueChanged);
        slider.setValue(0.01);
        slider.setValue(std::numeric_limits<double>::quiet_NaN());
        QCOMPARE(slider.value(), 0.01);
        slider.setValue(std::numeric_limits<double>::infinity());
        QCOMPARE(slider.value(), 0.01);
        QCOMPARE(changed.count(), 0);
    }

    // Typed but not yet committed (no Return, no focus change) when Start is pressed: the run uses it.
    void typedValuesCountAtStart()
    {
        MainWindow window(false);
        window.show();
        ControlPanel *p = window.controls();
        QSignalSpy startSpy(&window, &MainWindow::startRequested);
        auto type = [](QAbstractSpinBox *box, const QString &text) {
            box->setFocus();
            box->selectAll();
            QTest::keyClicks(box, text);
        };
        type(p->widget<QDoubleSpinBox>("learning_rate"), QStringLiteral("0.05"));
        type(p->widget<reglab::ui::LogSlider>("l1")->spinBox(), QStringLiteral("0.002"));
        type(p->widget<reglab::ui::LogSlider>("l2")->spinBox(), QStringLiteral("1e-4"));
        p->startAction()->trigger();
        QCOMPARE(startSpy.count(), 1);
        const auto c = startSpy.at(0).at(0).value<reglab::TrainConfig>();
        QCOMPARE(c.learningRate, 0.05);
        QCOMPARE(c.l1, 0.002);
        QCOMPARE(c.l2, 1e-4);
    }

    void learningRateReadsWhatItShows()
    {
        const QLocale before;
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany)); // decimal comma
        {
            ControlPanel p;
            QDoubleSpinBox *lr = p.widget<QDoubleSpinBox>("learning_rate");
            lr->setValue(5e-5);
            QCOMPARE(lr->text(), QStringLiteral("5e-05"));
            QString text = lr->text();
            int pos = 0;
            QCOMPARE(lr->validate(text, pos), QValidator::Acceptable);
            QCOMPARE(lr->valueFromText(text), 5e-5);
            text = QStringLiteral("0.05");
            QCOMPARE(lr->validate(text, pos), QValidator::Acceptable);
            QCOMPARE(lr->valueFromText(text), 0.05);
            text = QStringLiteral("0,05");
            QCOMPARE(lr->validate(text, pos), QValidator::Acceptable);
            QCOMPARE(lr->valueFromText(text), 0.05);
            text = QStringLiteral("1e-");
            QCOMPARE(lr->validate(text, pos), QValidator::Intermediate);
            text = QStringLiteral("2e6"); // beyond the core's range (reglab::field("learning_rate"))
            QCOMPARE(lr->validate(text, pos), QValidator::Invalid);
            text = QStringLiteral("abc");
            QCOMPARE(lr->validate(text, pos), QValidator::Invalid);
        }
        QLocale::setDefault(before);
    }

    void wheelLeavesTheDatasetAlone()
    {
        ControlPanel p;
        p.show();
        QComboBox *data = p.dataBox();
        QSignalSpy activated(data, &QComboBox::activated);
        const int before = data->currentIndex();
        for (int i = 0; i < 5; ++i) {
            const QPointF at(data->width() / 2.0, data->height() / 2.0);
            QWheelEvent wheel(at, data->mapToGlobal(at), {}, {0, -120}, Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase,
                              false);
            QApplication::sendEvent(data, &wheel);
        }
        QCOMPARE(data->currentIndex(), before);
        QCOMPARE(activated.count(), 0);
    }

    // The wheel over the scrolling panel: a number box, combo box or slider it passes over stays as it is (the
    // wheel is handed on to the panel, which scrolls); once chosen (it has the focus) it takes the wheel.
    void wheelChangesOnlyTheFocusedControl()
    {
        auto *panel = new ControlPanel(); // the scroll area owns it
        const std::unique_ptr<QScrollArea> scroll(panel->inScrollArea());
        ControlPanel &p = *panel;
        scroll->resize(340, 300);
        scroll->show();
        QVERIFY(QTest::qWaitForWindowExposed(scroll.get()));
        const auto wheelOver = [](QWidget *w) {
            const QPointF at(w->width() / 2.0, w->height() / 2.0);
            QWheelEvent wheel(at, w->mapToGlobal(at), {}, {0, -120}, Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase,
                              false);
            QApplication::sendEvent(w, &wheel);
            return wheel.isAccepted();
        };
        auto *epochs = p.widget<QSpinBox>("epochs");
        auto *scope = p.widget<QComboBox>("l1_scope");
        QSlider *slider = p.widget<reglab::ui::LogSlider>("l1")->findChild<QSlider *>();
        QVERIFY(epochs && scope && slider);
        const int epochsBefore = epochs->value(), scopeBefore = scope->currentIndex(), sliderBefore = slider->value();
        for (QWidget *w : std::initializer_list<QWidget *>{epochs, scope, slider}) {
            QCOMPARE(w->focusPolicy(), Qt::StrongFocus); // a click or Tab chooses it, the wheel alone does not
            QVERIFY2(!wheelOver(w), w->metaObject()->className()); // passed on, to scroll the panel
        }
        QCOMPARE(epochs->value(), epochsBefore);
        QCOMPARE(scope->currentIndex(), scopeBefore);
        QCOMPARE(slider->value(), sliderBefore);
        // What the panel does with it: it scrolls.
        const int top = scroll->verticalScrollBar()->value();
        wheelOver(scroll->viewport());
        QVERIFY(scroll->verticalScrollBar()->value() > top);

        // Chosen, the box takes the wheel.
        epochs->setFocus();
        QTRY_VERIFY(epochs->hasFocus());
        QVERIFY(wheelOver(epochs));
        QCOMPARE(epochs->value(), epochsBefore - 1);
    }

    void datasetShownIsTheOneUsed()
    {
        ControlPanel p;
        p.setDataSource(QStringLiteral("fashion")); // installed or not: a run names the problem
        QCOMPARE(p.dataSource(), QStringLiteral("fashion"));
        QCOMPARE(p.config().data, std::string("fashion"));
        QCOMPARE(p.dataBox()->currentData().toString(), QStringLiteral("fashion"));
        p.setDataSource(QStringLiteral("<choose>")); // stored by an older version
        QCOMPARE(p.dataSource(), QStringLiteral("sample"));
        QCOMPARE(p.dataBox()->currentData().toString(), QStringLiteral("sample"));
    }

    void newestPointIsAlwaysShown()
    {
        LossChart chart;
        reglab::StepRecord r;
        for (int i = 1; i <= 12001; ++i) {
            r.step = i;
            r.dataLoss = r.loss = 1.0 / i;
            chart.addStep(r);
            if (i % 997 == 0 || i == 12001)
                chart.flush();
            if (i % 997 == 0)
                QCOMPARE(chart.lastPoint(LossChart::Data).x(), double(i));
        }
        QCOMPARE(chart.lastPoint(LossChart::Data).x(), 12001.0);
        QVERIFY(chart.pointCount(LossChart::Data) <= reglab::ui::LiveChart::kMaxShownPoints);
        // Shown points keep their order (no stale "newest" left in the middle).
        chart.setLogScale(true);
        QCOMPARE(chart.lastPoint(LossChart::Data).x(), 12001.0);
    }

    void clearForgetsTheOldRange()
    {
        LossChart chart;
        chart.setTotalSteps(5000);
        QCOMPARE(chart.xAxisMax(), 5000.0);
        chart.clear();
        reglab::StepRecord r;
        for (int i = 1; i <= 50; ++i) {
            r.step = i;
            r.dataLoss = r.loss = 2.0;
            chart.addStep(r);
        }
        chart.flush();
        QCOMPARE(chart.xAxisMax(), 50.0);
    }

    void divergenceKeepsTheCurvesReadable()
    {
        LossChart chart;
        reglab::StepRecord r;
        r.learningRate = 10;
        for (int i = 1; i <= 30; ++i) {
            r.step = i;
            r.dataLoss = r.loss = i <= 20 ? 2.3 : std::pow(10.0, i - 10);
            chart.addStep(r);
        }
        chart.flush();
        const double top = chart.yAxisRange().second;
        QVERIFY2(top >= 2.3 && top <= 2.3 * LossChart::kCapFactor * 1.5, qPrintable(QString::number(top)));
        // A change of a strength starts a new scale: a larger L1 term stays on the axis.
        r.l1 = 0.1;
        for (int i = 31; i <= 40; ++i) {
            r.step = i;
            r.l1Term = 300;
            r.dataLoss = 2.0;
            r.loss = 302;
            chart.addStep(r);
        }
        chart.flush();
        QVERIFY2(chart.yAxisRange().second >= 302, qPrintable(QString::number(chart.yAxisRange().second)));
    }

    // Folds differ by a step per epoch: accuracy markers follow the epochs' own end steps.
    void accuracyMarkersFollowEpochEnds()
    {
        MainWindow window(false);
        reglab::RunInfo info;
        info.stepsPerEpoch = 100;
        info.totalSteps = 303;
        window.onEvent(info);
        reglab::EpochRecord e;
        e.epoch = 1;
        e.step = 101;
        window.onEvent(e);
        e.epoch = 2;
        e.step = 201;
        window.onEvent(e);
        e.epoch = 3;
        e.step = 303;
        window.onEvent(e);
        reglab::SettingChange change;
        change.step = 253; // 252 steps done: halfway through epoch 3 (201..303)
        change.key = "l1";
        change.value = "0.01";
        window.onEvent(change);
        QCOMPARE(window.liveView()->accuracyChart()->markerPositions().size(), 1);
        QCOMPARE(window.liveView()->accuracyChart()->markerPositions().front(), 2.5);
        // A dropout change is labelled with the new rates.
        change.step = 280;
        change.key = "dropout";
        change.value = "0.5,0.25";
        window.onEvent(change);
        QCOMPARE(window.liveView()->accuracyChart()->markerLabels(),
                 (QStringList{QStringLiteral("L1=0.01"), QStringLiteral("dropout=0.5/0.25")}));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestControls)
#include "test_gui_controls.moc"
