// The log slider: position <-> value mapping, "off" at the left end, and the spin box and slider in step.
#include "ui/logslider.h"

#include <QSignalSpy>
#include <QSlider>
#include <QTest>

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
