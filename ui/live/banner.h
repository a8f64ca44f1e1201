// A problem in plain words over the top of the charts (rich text), with a button that hides it. It floats over
// the charts rather than taking their room: the curves keep their size and stay where they were. Its colours are
// the theme's (bannerColors()), readable in each.
#pragma once

#include <QFrame>

class QLabel;

namespace reglab::ui {

class Banner : public QFrame {
    Q_OBJECT
public:
    explicit Banner(QWidget *parent = nullptr);
    // Shows `text`; empty text hides the banner.
    void showMessage(const QString &text);
    // The text shown, "" while hidden.
    QString text() const;
    bool isShown() const { return !isHidden(); }
    // Floats over the top of `target` (a sibling), as wide as it, whatever its size; not in any layout.
    void overlay(QWidget *target);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

Q_SIGNALS:
    // A link in the text was clicked (<a href="restart">...): its href.
    void linkActivated(const QString &link);

private:
    void place();
    // The theme's banner colours (bannerColors()) on the frame, the text, its links and the close button.
    void applyColors();

    QLabel *m_text;
    QString m_colors; // the colours applied, as a style sheet: a theme change restyles once
    QWidget *m_target = nullptr;
};

} // namespace reglab::ui
