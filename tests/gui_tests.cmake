# GUI tests (Qt Test, offscreen). Included from tests/CMakeLists.txt when REGLAB_GUI is on.
function(reglab_gui_test name)
  add_executable(${name} ${CMAKE_CURRENT_LIST_DIR}/${name}.cpp)
  target_link_libraries(${name} PRIVATE reglab_gui_app reglab_ui Qt6::Test reglab_warnings)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES
    # Runs the tests train are journalled: in the build folder, never in the user's data folder.
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;XDG_DATA_HOME=${CMAKE_BINARY_DIR}/tests/xdg-data"
    TIMEOUT 120
    LABELS gui)
endfunction()

reglab_gui_test(test_gui_logslider)
reglab_gui_test(test_gui_eventrouter)
reglab_gui_test(test_gui_sweep)
reglab_gui_test(test_gui_sweepdialog)
target_compile_definitions(test_gui_sweepdialog PRIVATE REGLAB_TRAIN_EXE="$<TARGET_FILE:reglab-train>")
add_dependencies(test_gui_sweepdialog reglab-train)
reglab_gui_test(test_gui_runmodel)
reglab_gui_test(test_gui_screens)
reglab_gui_test(test_gui_classroom)
target_compile_definitions(test_gui_screens PRIVATE REGLAB_BINARY_DIR_FOR_TESTS="${CMAKE_BINARY_DIR}"
                                                   REGLAB_GUI_EXE="$<TARGET_FILE:reglab>")
add_dependencies(test_gui_screens reglab)
set_tests_properties(test_gui_screens PROPERTIES TIMEOUT 600)
reglab_gui_test(test_gui_dashboard)
reglab_gui_test(test_gui_runs)
reglab_gui_test(test_gui_controls)

reglab_gui_test(test_gui_plot)
target_compile_definitions(test_gui_plot PRIVATE REGLAB_GUI_EXE="$<TARGET_FILE:reglab>")
add_dependencies(test_gui_plot reglab)
reglab_gui_test(test_gui_kernels)
target_compile_definitions(test_gui_kernels PRIVATE REGLAB_GUI_EXE="$<TARGET_FILE:reglab>")
add_dependencies(test_gui_kernels reglab)
reglab_gui_test(test_gui_compare)
reglab_gui_test(test_gui_compare2)
target_compile_definitions(test_gui_compare PRIVATE REGLAB_TRAIN_EXE="$<TARGET_FILE:reglab-train>")
add_dependencies(test_gui_compare reglab-train)
reglab_gui_test(test_gui_overlays)
reglab_gui_test(test_gui_legends)
target_compile_definitions(test_gui_legends PRIVATE REGLAB_BINARY_DIR_FOR_TESTS="${CMAKE_BINARY_DIR}")
reglab_gui_test(test_gui_network)
reglab_gui_test(test_gui_download)
target_compile_definitions(test_gui_download PRIVATE REGLAB_SOURCE_DIR_FOR_TESTS="${PROJECT_SOURCE_DIR}")
reglab_gui_test(test_gui_reliability)
target_compile_definitions(test_gui_reliability PRIVATE REGLAB_TRAIN_EXE="$<TARGET_FILE:reglab-train>")
add_dependencies(test_gui_reliability reglab-train)
reglab_gui_test(test_gui_figures)
target_compile_definitions(test_gui_figures PRIVATE REGLAB_GUI_EXE="$<TARGET_FILE:reglab>")
add_dependencies(test_gui_figures reglab)
set_tests_properties(test_gui_figures PROPERTIES TIMEOUT 300)
reglab_gui_test(test_gui_newsetting)
target_link_libraries(test_gui_newsetting PRIVATE reglab_cli)
reglab_gui_test(test_gui_gap)
# reglab --record and the window's animation export: videos read back with ffprobe and ffmpeg.
reglab_gui_test(test_gui_record)
target_compile_definitions(test_gui_record PRIVATE REGLAB_GUI_EXE="$<TARGET_FILE:reglab>"
                                                  REGLAB_TRAIN_EXE="$<TARGET_FILE:reglab-train>")
add_dependencies(test_gui_record reglab reglab-train)
set_tests_properties(test_gui_record PROPERTIES TIMEOUT 300)
reglab_gui_test(test_gui_keyboard)
# The QAccessible tree: a name for every focusable widget in the window and its dialogs, descriptions that follow.
reglab_gui_test(test_gui_accessibility)
# The window read over AT-SPI as Orca would, under Xvfb with a D-Bus session and the real accessibility stack
# (about 10 s); skipped where python3-pyatspi, xvfb-run or dbus-run-session is missing.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  add_test(NAME test_gui_atspi
           COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/atspi_check.py $<TARGET_FILE:reglab>)
  set_tests_properties(test_gui_atspi PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 90 LABELS gui)
endif()
# Accessibility: the themes' WCAG contrast, and compared runs told apart in a greyscale print.
reglab_gui_test(test_gui_contrast)
reglab_gui_test(test_gui_greyscale)
set_tests_properties(test_gui_greyscale PROPERTIES TIMEOUT 120)
