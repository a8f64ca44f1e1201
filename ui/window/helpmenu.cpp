#include "ui/window/helpmenu.h"

#include "model/preset.h"
#include "ui/charts/chartbase.h"
#include "ui/controls/logslider.h"
#include "ui/runs/runlist.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QHeaderView>
#include <QMessageBox>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace reglab::ui {

HelpMenu::HelpMenu(QWidget *window) : QMenu(tr("&Help"), window), m_window(window)
{
    addAction(tr("&Lessons (presets)\u2026"), this, &HelpMenu::showLessons);
    addAction(tr("&Keyboard shortcuts"), QKeySequence(Qt::Key_F1), this, &HelpMenu::showShortcuts);
    addAction(tr("&About RegLab"), this, [this] {
        QMessageBox::about(
            m_window, tr("About RegLab"),
            tr("<h3>RegLab %1</h3><p>Watch L1 and L2 regularization shape a neural network while it trains.</p>"
               "<p>Free software under the GNU GPL, version 3 or later. The bundled MNIST digits are by Yann "
               "LeCun, Corinna Cortes and Christopher J. C. Burges (CC BY-SA 3.0).</p>")
                .arg(QApplication::applicationVersion()));
    });
}

QStringList HelpMenu::shortcutLines() const
{
    QStringList lines;
    const auto add = [&lines](const QList<QKeySequence> &shortcuts, QString text) {
        QStringList keys;
        for (const QKeySequence &k : shortcuts)
            if (!k.isEmpty())
                keys << k.toString(QKeySequence::NativeText);
        text = text.remove(QLatin1Char('&')).remove(QStringLiteral("\u2026"));
        if (keys.contains(QStringLiteral("Space"))) // the window's own key filter: wherever the focus is
            text += tr(", also while a number box has the focus (in Runs, Space ticks: Ctrl+P pauses)");
        const QString line = keys.join(QStringLiteral(", ")) + QLatin1Char('\t') + text;
        if (!keys.isEmpty() && !text.isEmpty() && !lines.contains(line))
            lines << line;
    };
    for (const QAction *a : m_window->findChildren<QAction *>())
        add(a->shortcuts(), a->text());
    // Buttons with keys of their own (Ctrl+L for the log scale).
    for (const QAbstractButton *b : m_window->findChildren<QAbstractButton *>())
        if (const auto *tool = qobject_cast<const QToolButton *>(b); !tool || !tool->defaultAction())
            add({b->shortcut()}, b->text()); // an action's button is listed with its action
    // Not actions: what the keys do inside a widget with the focus, each from the table its key handler follows.
    lines << ChartBase::keyHelp() << RunList::keyHelp() << LogSlider::keyHelp();
    lines.sort(Qt::CaseInsensitive);
    return lines;
}

QStringList HelpMenu::lessonLines() const
{
    QStringList lines;
    for (const QString &file : m_lessons) {
        try {
            const reglab::Preset preset = reglab::loadPreset(QFile::encodeName(file).toStdString());
            lines << QString::fromStdString(preset.name) + QLatin1Char('\t') +
                         QString::fromStdString(preset.description);
        } catch (const std::exception &) {
            // A preset that cannot be read says so in the presets menu when chosen.
        }
    }
    return lines;
}

void HelpMenu::showLessons()
{
    showTable(tr("Lessons"), {tr("Preset"), tr("What it shows")}, lessonLines());
}

void HelpMenu::showShortcuts()
{
    showTable(tr("Keyboard shortcuts"), {tr("Keys"), tr("Does")}, shortcutLines());
}

void HelpMenu::showTable(const QString &title, const QStringList &headers, const QStringList &lines)
{
    QDialog dialog(m_window);
    dialog.setWindowTitle(title);
    auto *table = new QTableWidget(int(lines.size()), 2, &dialog);
    table->setAccessibleName(title);
    table->setHorizontalHeaderLabels(headers);
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setWordWrap(true);
    for (int i = 0; i < lines.size(); ++i) {
        const QStringList parts = lines[i].split(QLatin1Char('\t'));
        table->setItem(i, 0, new QTableWidgetItem(parts.value(0)));
        table->setItem(i, 1, new QTableWidgetItem(parts.value(1)));
    }
    table->resizeColumnToContents(0);
    table->horizontalHeader()->setStretchLastSection(true);
    table->resizeRowsToContents();
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addWidget(table);
    layout->addWidget(buttons);
    dialog.resize(640, 460);
    dialog.exec();
}

} // namespace reglab::ui
