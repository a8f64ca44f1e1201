// A problem in plain words above the charts (rich text), with a button that hides it. The curves stay.
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

Q_SIGNALS:
    // A link in the text was clicked (<a href="restart">...): its href.
    void linkActivated(const QString &link);

private:
    QLabel *m_text;
};

} // namespace reglab::ui
