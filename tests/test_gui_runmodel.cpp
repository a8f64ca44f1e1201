// The runs model on its own, without widgets: Qt's QAbstractItemModelTester checks it keeps the model
// contract through adds, removes, renames and ticks, and the tests check what views and overlays read.
#include "ui/runs/runmodel.h"

#include <QAbstractItemModelTester>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

using reglab::ui::RunModel;

namespace {

reglab::RunRecord finishedRun(double l1, double test)
{
    reglab::RunRecord r;
    r.config.l1 = l1;
    r.status = reglab::RunStatus::Finished;
    reglab::EpochRecord e;
    e.epoch = 1;
    e.valAccuracy = test - 0.01;
    e.testAccuracy = test;
    r.epochs.push_back(e);
    return r;
}

} // namespace

class TestRunModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void keepsTheModelContract()
    {
        RunModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const int a = model.addRun(finishedRun(0.01, 0.11), QStringLiteral("strong"));
        const int b = model.addRun(finishedRun(0.001, 0.9), {});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), int(RunModel::ColumnCount));
        QCOMPARE(model.name(b), QStringLiteral("L1 0.001 (all) - L2 off - bs 50")); // unnamed: its label
        QVERIFY(model.setData(model.index(0, RunModel::NameColumn), QStringLiteral("renamed")));
        QCOMPARE(model.name(a), QStringLiteral("renamed"));
        QVERIFY(!model.setData(model.index(0, RunModel::NameColumn), QStringLiteral("  "))); // no empty names
        QVERIFY(!model.setData(model.index(0, RunModel::StatusColumn), QStringLiteral("x")));
        model.setShown(a, false);
        QCOMPARE(model.shownIds(), QList<int>{b});
        model.removeRun(a);
        QCOMPARE(model.ids(), QList<int>{b});
        QCOMPARE(model.rowOf(a), -1);
        const int c = model.addRun(finishedRun(0, 0.5), QStringLiteral("c"));
        QVERIFY(c != a); // ids are never reused
        model.removeRun(b);
        model.removeRun(c);
        QCOMPARE(model.rowCount(), 0);
    }

    // A run's colour is its own: ticking others, unticking and ticking it again, replacing its record never
    // change it; a new run takes a colour no shown run wears; the record keeps the colour, and a record that
    // names one brings it back.
    void aRunKeepsItsColour()
    {
        RunModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const int a = model.addRun(finishedRun(0.01, 0.5), QStringLiteral("a"));
        const int b = model.addRun(finishedRun(0.001, 0.5), QStringLiteral("b"));
        const QColor colourA = model.color(a), colourB = model.color(b);
        QVERIFY(colourA != colourB);
        model.setShown(a, false);
        const int c = model.addRun(finishedRun(0, 0.5), QStringLiteral("c"));
        QVERIFY(model.color(c) != colourB);
        QVERIFY(model.color(c) != colourA); // unused colours first: a keeps its own for when it is shown again
        model.setShown(a, true);
        QCOMPARE(model.color(a), colourA);
        QCOMPARE(model.color(b), colourB);
        model.setRecord(a, finishedRun(0.02, 0.5));
        QCOMPARE(model.color(a), colourA);
        QCOMPARE(model.record(a)->color, colourA.name().toStdString());

        // A record that keeps a colour (saved by the window, reopened) comes back in it; the same run listed again
        // too, though it shows beside itself.
        model.setShown(a, false);
        reglab::RunRecord savedA = *model.record(a);
        model.removeRun(a);
        const int back = model.addRun(savedA, QStringLiteral("a back"));
        QCOMPARE(model.color(back), colourA);
        reglab::RunRecord kept = *model.record(b);
        kept.startedAt = "2026-12-03T10:00:00Z";
        model.setRecord(b, kept);
        const int reopened = model.addRun(kept, QStringLiteral("b again"));
        QCOMPARE(model.color(reopened), colourB);
        // Another run whose record keeps a colour a shown run wears (two sessions' first runs opened together, a
        // run brought back after its colour went to another) gets a colour of its own: runs shown together differ.
        reglab::RunRecord other = finishedRun(0.5, 0.5);
        other.startedAt = "2026-12-02T09:00:00Z";
        other.color = colourB.name().toStdString();
        const int clash = model.addRun(other, QStringLiteral("other session"));
        QVERIFY(model.color(clash) != colourB);
        QCOMPARE(model.record(clash)->color, model.color(clash).name().toStdString());
        for (int id : model.shownIds())
            if (id != clash)
                QVERIFY(model.color(id) != model.color(clash));
        // Ten runs shown together: ten colours.
        RunModel many;
        QSet<QRgb> colours;
        for (int i = 0; i < 10; ++i)
            colours.insert(many.color(many.addRun(finishedRun(0.001 * i, 0.5), QStringLiteral("run %1").arg(i))).rgb());
        QCOMPARE(colours.size(), 10);
    }

    void showsWhatTheListShows()
    {
        RunModel model;
        const int id = model.addRun(finishedRun(0.01, 0.1135), QStringLiteral("forum"));
        const QModelIndex name = model.index(0, RunModel::NameColumn);
        QCOMPARE(model.data(name).toString(), QStringLiteral("forum"));
        QCOMPARE(model.data(name, Qt::CheckStateRole).toInt(), int(Qt::Checked));
        QVERIFY(!model.data(name, Qt::DecorationRole).isNull()); // the colour swatch
        QCOMPARE(model.data(name, RunModel::ColorRole).value<QColor>(), model.color(id));
        QCOMPARE(model.data(model.index(0, RunModel::ConfigColumn)).toString(),
                 QStringLiteral("L1 0.01 (all) - L2 off - bs 50, 10 epochs")); // the epochs planned
        QCOMPARE(model.data(model.index(0, RunModel::StatusColumn)).toString(), QStringLiteral("finished"));
        QCOMPARE(model.data(model.index(0, RunModel::TestColumn)).toString(), QStringLiteral("11.35 %"));
        QVERIFY(model.flags(name).testFlag(Qt::ItemIsUserCheckable));
        QVERIFY(model.flags(name).testFlag(Qt::ItemIsEditable));
        QVERIFY(!model.flags(model.index(0, RunModel::TestColumn)).testFlag(Qt::ItemIsEditable));
        QCOMPARE(model.headerData(RunModel::TestColumn, Qt::Horizontal).toString(), QStringLiteral("Test"));
        // Each run its own colour.
        const int other = model.addRun(finishedRun(0, 0.9), {});
        QVERIFY(model.color(other) != model.color(id));
    }

    // The live run grows with its events; comparisons change only when a compared run does.
    void theLiveRunGrowsQuietly()
    {
        RunModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const int old = model.addRun(finishedRun(0, 0.9), QStringLiteral("old"));
        QSignalSpy comparison(&model, &RunModel::comparisonChanged);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        reglab::RunRecord start;
        start.config.l1 = 0.01;
        const int live = model.addRun(start, QStringLiteral("live"), true, true);
        QCOMPARE(model.liveId(), live);
        QCOMPARE(comparison.count(), 1); // a new live run: what is compared is now the others
        comparison.clear();
        changed.clear();
        reglab::StepRecord s;
        s.step = 1;
        model.apply(live, s);
        QCOMPARE(changed.count(), 0); // steps do not touch the row
        model.apply(live, reglab::SettingChange{5, "l1", "0.001"});
        QCOMPARE(changed.count(), 1); // a change is named in the configuration column
        QCOMPARE(changed.first().at(0).toModelIndex().column(), int(RunModel::ConfigColumn));
        QVERIFY(model.data(model.index(1, RunModel::ConfigColumn)).toString().endsWith(
            QStringLiteral("L1\u21920.001 at step 5")));
        reglab::EpochRecord e;
        e.epoch = 1;
        e.testAccuracy = 0.5;
        model.apply(live, e);
        QCOMPARE(changed.count(), 2); // an epoch updates its accuracies
        QCOMPARE(model.data(model.index(1, RunModel::TestColumn)).toString(), QStringLiteral("50.00 %"));
        QCOMPARE(model.record(live)->steps.size(), std::size_t(1));
        QCOMPARE(model.record(live)->settingChanges.size(), std::size_t(1));
        model.setName(live, QStringLiteral("live run"));
        QCOMPARE(comparison.count(), 0); // the live run is drawn live, not compared
        model.setName(old, QStringLiteral("older"));
        QCOMPARE(comparison.count(), 1);
        model.setLive(-1);
        QCOMPARE(model.liveId(), -1);
        QCOMPARE(comparison.count(), 2);
        model.removeRun(live);
        QCOMPARE(model.count(), 1);
    }
};

QTEST_MAIN(TestRunModel)
#include "test_gui_runmodel.moc"
