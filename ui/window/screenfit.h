// Fitting the window to the screen it opens on: a classroom's 1024x768 projector, a laptop's 1366x768, a 1080p
// screen at 150 % or 200 %, a 4K screen at 200 %. A window narrower than kRoomyWidth has its docks in one
// tabbed sidebar beside the charts (the charts keep the room; the predictions, runs and network views are a tab
// away); a wider one has the controls on the left and the other panels on the right.
#pragma once

#include <QMargins>
#include <QRect>
#include <QSize>

class QWidget;

namespace reglab::ui::screenfit {

constexpr int kRoomyWidth = 1800;
constexpr QSize kPreferred{1440, 860};
// A window frame's usual size before the window manager has told us (title bar and borders).
constexpr QMargins kFrameGuess{6, 32, 6, 6};

// The free area of the screen `window` is on (or the primary screen's before it is shown).
QRect availableArea(const QWidget *window);
// Narrower or lower than the three-column layout needs (with the charts still over half of the window).
bool isSmall(const QRect &available);
// The window's size at a first start: the preferred size, or the free area less a frame where that is smaller.
QSize firstStartSize(const QRect &available);
// Moves and shrinks a shown window (its frame known now) so that all of it lies in its screen's free area, and
// lets its tabbed docks show whole titles.
void keepOnScreen(QWidget *window);
// Moves a floating window (a dock floated in presentation mode) onto the screen `over` is on, at its left edge,
// and shrinks it to the free area where it is larger.
void placeInside(QWidget *floating, const QWidget *over);
// Keeps `floating` (a dock that can float) on the screen of `over` whenever it floats: moved or shown (F9 in
// presentation mode, a restored layout from another screen) partly off it, it is placed inside again.
void keepFloatingOnScreen(QWidget *floating, const QWidget *over);

} // namespace reglab::ui::screenfit
