// A new setting is one entry in the core's table (configFields()): this test adds one at run time and finds it
// everywhere the table reaches (reglab-train's flags and help, a run record's JSON, a preset, a sweep key, the
// window's controls and remembered settings) and changes it on a training network because the table says it is
// live; a second one, not live, is refused mid-run.
#include "app/cliargs.h"
#include "model/changes.h"
#include "model/dataset.h"
#include "model/datasource.h"
#include "model/preset.h"
#include "model/runrecord.h"
#include "model/sweep.h"
#include "model/trainer.h"
#include "ui/controls/controlpanel.h"

#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using reglab::ConfigField;

namespace {

std::string knobOf(const reglab::TrainConfig &c)
{
    return reglab::findField("test_knob")->get(c);
}

} // namespace

class TestNewSetting : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
        // The whole of adding a live knob: its entry.
        ConfigField knob =
            reglab::extraRealField("test_knob", "--test-knob", "a knob this test added", 0, 1, 0.5);
        knob.live = true;
        knob.control = ConfigField::Control::Number;
        knob.group = "regularization";
        knob.label = "Test knob";
        knob.shortName = "knob";
        reglab::addConfigField(knob);
        ConfigField fixed = reglab::extraRealField("test_fixed", "--test-fixed", "a fixed one", 0, 10, 1);
        fixed.control = ConfigField::Control::Number;
        fixed.group = "run";
        fixed.label = "Test fixed";
        reglab::addConfigField(fixed);
    }

    void commandLine()
    {
        QVERIFY(reglab::trainUsage().find("--test-knob") != std::string::npos);
        QVERIFY(reglab::trainUsage().find("a knob this test added") != std::string::npos);
        reglab::CliOptions options;
        QCOMPARE(reglab::parseTrainArgs({"--test-knob", "0.25"}, options), std::string());
        QCOMPARE(knobOf(options.config), std::string("0.25"));
        const std::string refused = reglab::parseTrainArgs({"--test-knob", "2"}, options);
        QVERIFY2(refused.find("--test-knob") != std::string::npos && refused.find("from 0 to 1") != std::string::npos,
                 refused.c_str());
        QCOMPARE(knobOf(reglab::TrainConfig{}), std::string("0.5")); // its default
    }

    void runRecordJson()
    {
        reglab::RunRecord r;
        r.status = reglab::RunStatus::Finished;
        QVERIFY(reglab::findField("test_knob")->set(r.config, "0.125").empty());
        const std::string json = reglab::toJson(r);
        QVERIFY(json.find("\"test_knob\": 0.125") != std::string::npos);
        const reglab::RunRecord back = reglab::runRecordFromJson(json);
        QCOMPARE(knobOf(back.config), std::string("0.125"));
        QVERIFY(back.notUnderstood.empty());
    }

    void preset()
    {
        const reglab::Preset p = reglab::parsePreset(R"({"format": "reglab-preset", "name": "knob",
            "base": {"test_knob": 0.75}, "runs": [{"label": "a"}, {"label": "b", "test_knob": 0.0}]})");
        QCOMPARE(knobOf(p.runs[0].config), std::string("0.75"));
        QCOMPARE(knobOf(p.runs[1].config), std::string("0"));
        try {
            reglab::parsePreset(R"({"format": "reglab-preset", "name": "typo", "runs": [{"test_knb": 0.1}]})");
            QFAIL("a misspelt key was accepted");
        } catch (const reglab::RecordError &e) {
            QVERIFY2(std::string(e.what()).find("did you mean \"test_knob\"?") != std::string::npos, e.what());
        }
    }

    void sweepKey()
    {
        const reglab::Sweep sweep = reglab::parseSweep(R"({"format": "reglab-sweep", "name": "knob",
            "vary": {"test_knob": [0.1, 0.2]}, "base": {"epochs": 1}})");
        QCOMPARE(sweep.runs.size(), std::size_t(2));
        QCOMPARE(knobOf(sweep.runs[1].config), std::string("0.2"));
        QVERIFY(sweep.runs[1].name.find("test-knob_0.2") != std::string::npos); // file names keep to [A-Za-z0-9.+-]
    }

    void windowControl()
    {
        reglab::ui::ControlPanel panel;
        auto *box = panel.widget<QDoubleSpinBox>("test_knob");
        QVERIFY(box);
        QCOMPARE(box->value(), 0.5);
        QCOMPARE(box->minimum(), 0.0);
        QCOMPARE(box->maximum(), 1.0);
        auto *form = qobject_cast<QFormLayout *>(box->parentWidget()->layout());
        QVERIFY(form);
        int row = 0; // the form's row whose field (a row of its own) holds the box
        while (row < form->rowCount() && !(form->itemAt(row, QFormLayout::FieldRole) &&
                                           form->itemAt(row, QFormLayout::FieldRole)->layout() &&
                                           form->itemAt(row, QFormLayout::FieldRole)->layout()->indexOf(box) >= 0))
            ++row;
        QVERIFY(row < form->rowCount());
        auto *label = qobject_cast<QLabel *>(form->itemAt(row, QFormLayout::LabelRole)->widget());
        QVERIFY(label);
        QCOMPARE(label->text(), QStringLiteral("Test knob"));
        QCOMPARE(label->buddy(), box);

        // Live: committed while training, it is sent; the fixed one is not, and is off during a run.
        QList<std::pair<std::string, std::string>> sent;
        connect(&panel, &reglab::ui::ControlPanel::settingChanged, this,
                [&](const std::string &key, const std::string &value) { sent.append({key, value}); });
        panel.setRunState(reglab::ui::ControlPanel::RunState::Running);
        QVERIFY(box->isEnabled());
        QVERIFY(!panel.widget<QDoubleSpinBox>("test_fixed")->isEnabled());
        box->setValue(0.3);
        QCOMPARE(sent.size(), 1);
        QCOMPARE(sent.front(), (std::pair<std::string, std::string>{"test_knob", "0.3"}));
        panel.setRunState(reglab::ui::ControlPanel::RunState::Idle);
        QCOMPARE(knobOf(panel.config()), std::string("0.3"));

        // Remembered under its own key, as its flag writes it.
        QSettings settings;
        panel.saveSettings(settings);
        QCOMPARE(settings.value(QStringLiteral("controls/test_knob")).toString(), QStringLiteral("0.3"));
        reglab::ui::ControlPanel again;
        again.loadSettings(settings);
        QCOMPARE(knobOf(again.config()), std::string("0.3"));
    }

    void liveChange()
    {
        struct Observer : reglab::TrainObserver {
            reglab::TrainControl *control = nullptr;
            void onEvent(const reglab::TrainEvent &event) override
            {
                if (const auto *step = std::get_if<reglab::StepRecord>(&event); step && step->step == 3) {
                    control->set("test_knob", "0.125");
                    control->set("test_fixed", "5"); // not live: refused
                }
            }
        } observer;
        reglab::TrainControl control;
        observer.control = &control;
        reglab::TrainConfig c;
        c.epochs = 1;
        c.device = "cpu";
        c.logEvery = 1;
        const auto data = reglab::Dataset::load(reglab::resolveDataSource("sample"));
        const reglab::RunRecord r = reglab::train(c, control, &observer, data);
        QCOMPARE(reglab::toString(r.status), std::string("finished"));
        QCOMPARE(r.settingChanges.size(), std::size_t(1));
        QVERIFY(r.settingChanges.front() == (reglab::SettingChange{4, "test_knob", "0.125"}));
        QCOMPARE(reglab::changeText(r.settingChanges.front()), std::string("knob=0.125"));
        QCOMPARE(reglab::describeChanges(r.settingChanges), std::string("knob\u21920.125 at step 4"));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestNewSetting)
#include "test_gui_newsetting.moc"
