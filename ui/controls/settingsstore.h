// The window's remembered settings in one place: the user's RegLab settings, read as saved and written back,
// or, in the no-write mode that screenshots and benchmarks use, read as saved and never written. The window
// hands its store to every part that remembers something (the sweep dialog too), so one mode covers them all.
#pragma once

#include <QSettings>

namespace reglab::ui {

class SettingsStore {
public:
    // `writable` false: the no-write mode.
    explicit SettingsStore(bool writable = true) : m_writable(writable) {}

    bool writable() const { return m_writable; }

    // Calls `load` with the saved settings to read from (a QSettings only written to by setValue or remove: its
    // groups, beginGroup, write nothing).
    template <typename Load> void read(Load &&load) const
    {
        QSettings settings(QStringLiteral("RegLab"), QStringLiteral("RegLab"));
        load(settings);
    }

    // Calls `save` with the saved settings to write into; nothing in the no-write mode.
    template <typename Save> void write(Save &&save) const
    {
        if (!m_writable)
            return;
        QSettings settings(QStringLiteral("RegLab"), QStringLiteral("RegLab"));
        save(settings);
    }

private:
    bool m_writable;
};

} // namespace reglab::ui
