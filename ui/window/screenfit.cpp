#include "ui/window/screenfit.h"

#include <QEvent>
#include <QGuiApplication>
#include <QPointer>
#include <QTimer>
#include <QScreen>
#include <QTabBar>
#include <QWidget>

#include <algorithm>

namespace reglab::ui::screenfit {

namespace {

// Moves and shrinks the window into `available`.
void fit(QWidget *window, const QRect &available)
{
    const QRect frame = window->frameGeometry();
    const QMargins margins(window->geometry().left() - frame.left(), window->geometry().top() - frame.top(),
                           frame.right() - window->geometry().right(), frame.bottom() - window->geometry().bottom());
    QSize size = window->size().boundedTo(available.size().shrunkBy(margins));
    size = size.expandedTo(window->minimumSizeHint().boundedTo(available.size().shrunkBy(margins)));
    window->resize(size);
    QRect placed(window->frameGeometry().topLeft(), window->frameGeometry().size());
    placed.moveLeft(std::clamp(placed.left(), available.left(),
                               std::max(available.left(), available.right() - placed.width() + 1)));
    placed.moveTop(
        std::clamp(placed.top(), available.top(), std::max(available.top(), available.bottom() - placed.height() + 1)));
    window->move(placed.topLeft());
}
// Watches a window that can float: off its screen after a move or a show, it is placed back (once the window
// system is done with it: a position it reports late would undo an earlier placement).
class FloatingGuard : public QObject {
public:
    FloatingGuard(QWidget *floating, const QWidget *over) : QObject(floating), m_floating(floating), m_over(over) {}

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == m_floating && (event->type() == QEvent::Move || event->type() == QEvent::Show))
            QTimer::singleShot(0, this, [this] {
                if (m_floating->isWindow() && m_floating->isVisible() && m_over &&
                    !availableArea(m_over).contains(m_floating->frameGeometry()))
                    placeInside(m_floating, m_over);
            });
        return QObject::eventFilter(watched, event);
    }

private:
    QWidget *m_floating;
    QPointer<const QWidget> m_over;
};
} // namespace

QRect availableArea(const QWidget *window)
{
    const QScreen *screen = window && window->screen() ? window->screen() : QGuiApplication::primaryScreen();
    return screen ? screen->availableGeometry() : QRect(0, 0, kPreferred.width(), kPreferred.height());
}

bool isSmall(const QRect &available)
{
    return available.width() < kRoomyWidth || available.height() < 720;
}

QSize firstStartSize(const QRect &available)
{
    const QSize room = available.size().shrunkBy(kFrameGuess);
    return kPreferred.boundedTo(room);
}

void keepOnScreen(QWidget *window)
{
    const QRect available = availableArea(window);
    const QRect frame = window->frameGeometry();
    if (!available.contains(frame))
        fit(window, available);
    // Tabbed docks show their whole titles (scroll arrows where they do not fit), never cut ones.
    for (QTabBar *bar : window->findChildren<QTabBar *>(QString(), Qt::FindDirectChildrenOnly)) {
        bar->setElideMode(Qt::ElideNone);
        bar->setUsesScrollButtons(true);
    }
}

void placeInside(QWidget *floating, const QWidget *over)
{
    const QRect available = availableArea(over);
    const QSize room = available.size().shrunkBy(kFrameGuess);
    floating->resize(floating->size().boundedTo(room).expandedTo(floating->minimumSizeHint().boundedTo(room)));
    // At the top left of the window it belongs to, its frame wholly inside the free area.
    const QSize frame = floating->size().grownBy(kFrameGuess);
    const QPoint wanted = over->mapToGlobal(QPoint(0, 0));
    const int x = std::clamp(wanted.x(), available.left(), std::max(available.left(), available.right() + 1 - frame.width()));
    const int y = std::clamp(wanted.y(), available.top(), std::max(available.top(), available.bottom() + 1 - frame.height()));
    floating->move(x, y); // a window's move() places its frame's corner
}

void keepFloatingOnScreen(QWidget *floating, const QWidget *over)
{
    floating->installEventFilter(new FloatingGuard(floating, over));
}

} // namespace reglab::ui::screenfit
