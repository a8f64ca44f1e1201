// The log slider: position <-> value mapping, "off" at the left end, and the spin box and slider in step.
#include "ui/controls/logslider.h"

#include <QApplication>
#include <QSignalSpy>
#include <QSlider>
#include <QTest>
#include <QWheelEvent>

#include <cmath>

using reglab::ui::LogSlider;

class TestLogSlider : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void offIsZero()
    {
        QCOMPARE(LogSlider::positionToValue(0), 0.0);
        QCOMPARE(LogSlider::valueToPosition(0.0), 0);
        QCOMPARE(LogSlider::valueToPosition(-1.0), 0);
        QCOMPARE(LogSlider::format(0.0), QStringLiteral("off"));
    }

    void endsAreTheRange()
    {
        QCOMPARE(LogSlider::positionToValue(1), 1e-5);
        QCOMPARE(LogSlider::positionToValue(LogSlider::kPositions - 1), 1.0);
        QCOMPARE(LogSlider::valueToPosition(1e-5), 1);
        QCOMPARE(LogSlider::valueToPosition(1.0), LogSlider::kPositions - 1);
        QCOMPARE(LogSlider::valueToPosition(1e-9), 1); // tiny but on: never "off"
        QCOMPARE(LogSlider::valueToPosition(50.0), LogSlider::kPositions - 1);
    }

    void decadesAreExact()
    {
        for (double v : {1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0})
            QCOMPARE(LogSlider::positionToValue(LogSlider::valueToPosition(v)), v);
        QCOMPARE(LogSlider::format(0.01), QStringLiteral("0.01"));
        QCOMPARE(LogSlider::format(0.001), QStringLiteral("0.001"));
        QCOMPARE(LogSlider::format(1e-5), QStringLiteral("1e-05"));
        // The core's formatStrength: six significant digits at most, as the charts' markers and the runs list.
        QCOMPARE(LogSlider::format(0.000123456789), QStringLiteral("0.000123457"));
        QCOMPARE(LogSlider::format(2.5e-7), QStringLiteral("2.5e-07"));
    }

    void roundTripEveryPosition()
    {
        double previous = -1;
        for (int p = 0; p < LogSlider::kPositions; ++p) {
            const double v = LogSlider::positionToValue(p);
            QVERIFY2(v > previous, qPrintable(QStringLiteral("not increasing at %1").arg(p)));
            QCOMPARE(LogSlider::valueToPosition(v), p);
            previous = v;
        }
    }

    void typedValueMovesSlider()
    {
        LogSlider w;
        QSignalSpy spy(&w, &LogSlider::valueChanged);
        w.spinBox()->setValue(0.01);
        QCOMPARE(w.value(), 0.01);
        QCOMPARE(w.slider()->value(), LogSlider::valueToPosition(0.01));
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toDouble(), 0.01);
        QCOMPARE(w.spinBox()->text(), QStringLiteral("0.01"));

        // A value between notches is kept exactly; the slider goes to the nearest notch.
        w.spinBox()->setValue(0.0023);
        QCOMPARE(w.value(), 0.0023);
        QCOMPARE(w.slider()->value(), LogSlider::valueToPosition(0.0023));
        QCOMPARE(w.spinBox()->text(), QStringLiteral("0.0023"));
    }

    void sliderMovesValue()
    {
        LogSlider w;
        QSignalSpy spy(&w, &LogSlider::valueChanged);
        w.slider()->setValue(LogSlider::valueToPosition(1e-3));
        QCOMPARE(w.value(), 1e-3);
        QCOMPARE(w.spinBox()->value(), 1e-3);
        QCOMPARE(spy.count(), 1);
        w.slider()->setValue(0);
        QCOMPARE(w.value(), 0.0);
        QCOMPARE(w.spinBox()->text(), QStringLiteral("off"));
        QCOMPARE(spy.count(), 2);
    }

    void setValueIsSilent()
    {
        LogSlider w;
        QSignalSpy spy(&w, &LogSlider::valueChanged);
        w.setValue(0.1);
        QCOMPARE(w.value(), 0.1);
        QCOMPARE(w.slider()->value(), LogSlider::valueToPosition(0.1));
        QCOMPARE(spy.count(), 0);
    }

    // Dragged, stepped or wheeled without Shift, a strength lands on 1, 2 or 5 x 10^k; with Shift it moves a
    // notch (a twentieth of a decade) at a time; a typed value is kept exactly.
    void snapsToOneTwoFive()
    {
        QCOMPARE(LogSlider::snapped(3.1e-3), 2e-3);
        QCOMPARE(LogSlider::snapped(3.3e-3), 5e-3);
        QCOMPARE(LogSlider::snapped(0.75), 1.0);
        QCOMPARE(LogSlider::snapped(0.0), 0.0);
        QCOMPARE(LogSlider::steppedNice(1e-3, 1), 2e-3);
        QCOMPARE(LogSlider::steppedNice(2e-3, 1), 5e-3);
        QCOMPARE(LogSlider::steppedNice(5e-3, 1), 1e-2);
        QCOMPARE(LogSlider::steppedNice(1e-2, -1), 5e-3);
        QCOMPARE(LogSlider::steppedNice(1e-5, -1), 0.0); // off
        QCOMPARE(LogSlider::steppedNice(0.0, 1), 1e-5);
        QCOMPARE(LogSlider::steppedNice(3e-3, 1), 5e-3); // off the grid: to the grid on its side
        QCOMPARE(LogSlider::steppedNice(3e-3, -1), 2e-3);

        LogSlider w;
        w.show();
        QSignalSpy spy(&w, &LogSlider::valueChanged);
        // Dragged to a notch between 2e-3 and 5e-3 (10^-2.55 = 2.8e-3): lands on 2e-3.
        w.slider()->setValue(LogSlider::valueToPosition(2.8e-3));
        QCOMPARE(w.value(), 2e-3);
        QCOMPARE(w.spinBox()->text(), QStringLiteral("0.002"));
        // Arrow keys: 2e-3 -> 5e-3 -> 0.01, and back.
        w.slider()->setFocus();
        QTest::keyClick(w.slider(), Qt::Key_Right);
        QCOMPARE(w.value(), 5e-3);
        QTest::keyClick(w.slider(), Qt::Key_Right);
        QCOMPARE(w.value(), 0.01);
        QTest::keyClick(w.slider(), Qt::Key_Left);
        QCOMPARE(w.value(), 5e-3);
        // Shift: a notch.
        QTest::keyClick(w.slider(), Qt::Key_Right, Qt::ShiftModifier);
        QCOMPARE(w.value(), LogSlider::positionToValue(LogSlider::valueToPosition(5e-3) + 1));
        QVERIFY(w.fineSteps());
        // The spin box's arrow keys step 1-2-5 too.
        w.setValue(0.01);
        QTest::keyClick(w.spinBox(), Qt::Key_Up);
        QCOMPARE(w.value(), 0.02);
        // The wheel as well.
        QWheelEvent up(QPointF(5, 5), w.slider()->mapToGlobal(QPointF(5, 5)), QPoint(), QPoint(0, 120), Qt::NoButton,
                       Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(w.slider(), &up);
        QCOMPARE(w.value(), 0.05);
        // Typed: exact.
        w.spinBox()->setValue(0.0023);
        QCOMPARE(w.value(), 0.0023);
        QVERIFY(spy.count() >= 8);
    }

    void textParsing()
    {
        LogSlider w;
        QCOMPARE(w.spinBox()->valueFromText(QStringLiteral("1e-05")), 1e-5);
        QCOMPARE(w.spinBox()->valueFromText(QStringLiteral("off")), 0.0);
        QCOMPARE(w.spinBox()->valueFromText(QStringLiteral("0.001")), 0.001);
        QString text = QStringLiteral("1e-");
        int pos = 3;
        QCOMPARE(w.spinBox()->validate(text, pos), QValidator::Intermediate);
        text = QStringLiteral("abc");
        QCOMPARE(w.spinBox()->validate(text, pos), QValidator::Invalid);
        text = QStringLiteral("2");
        QCOMPARE(w.spinBox()->validate(text, pos), QValidator::Invalid); // above 1
    }
};

QTEST_MAIN(TestLogSlider)
#include "test_gui_logslider.moc"
