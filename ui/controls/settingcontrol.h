// The window's control for one setting of the core's table (configFields()): made from the field's control kind,
// range and labels, read and written as the field's text, so the control panel binds settings by key instead of
// listing them by hand. A new setting with a control kind shows up in the window without code here.
#pragma once

#include "model/config.h"

#include <QList>
#include <QObject>

#include <string>

class QDoubleSpinBox;
class QSpinBox;
class QWidget;

namespace reglab::ui {

class SettingControl : public QObject {
    Q_OBJECT
public:
    // The control for `field`'s kind (Strength, Number, Whole, Choice, Check, Units, Rates); null for the kinds
    // the panel makes itself (Data, Device) and for None.
    static SettingControl *create(const reglab::ConfigField &field, QWidget *parent);

    const reglab::ConfigField &field() const { return m_field; }
    const std::string &key() const { return m_field.key; }
    // What goes in the form row.
    QWidget *widget() const { return m_widget; }
    // The value shown, as the field's text ("0.01", "200,200", "adam"); a value still being typed counts.
    virtual std::string text() const = 0;
    // Shows a value without reporting it (no committed()); text the control cannot show leaves it as it is.
    virtual void setText(const std::string &text) = 0;

Q_SIGNALS:
    // The user committed a new value (a slider released, Return in a box, a choice picked).
    void committed();

protected:
    SettingControl(const reglab::ConfigField &field, QWidget *widget);

private:
    const reglab::ConfigField &m_field;
    QWidget *m_widget;
};

// Hidden layer sizes: one box per possible layer, a later one "none" (0) when that layer does not exist.
class UnitsControl : public SettingControl {
    Q_OBJECT
public:
    static constexpr int kMaxLayers = 3; // the window offers one to three (reglab-train takes up to eight)
    UnitsControl(const reglab::ConfigField &field, QWidget *parent);
    std::string text() const override;
    void setText(const std::string &text) override;
    const QList<QSpinBox *> &boxes() const { return m_boxes; }
    int layers() const;

private:
    QList<QSpinBox *> m_boxes;
};

// One rate per hidden layer: the boxes past the network's depth are hidden.
class RatesControl : public SettingControl {
    Q_OBJECT
public:
    RatesControl(const reglab::ConfigField &field, QWidget *parent);
    std::string text() const override;
    void setText(const std::string &text) override;
    void setLayers(int layers);
    const QList<QDoubleSpinBox *> &boxes() const { return m_boxes; }

private:
    QList<QDoubleSpinBox *> m_boxes;
    int m_layers = 2;
};

} // namespace reglab::ui
