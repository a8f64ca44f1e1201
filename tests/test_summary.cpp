// The summary table of runs, without Qt: the best epoch is the first to reach the best, runs without epochs
// get empty cells, names are quoted for CSV and escaped for Markdown and HTML.
#include "model/summarytable.h"
#include "testing.h"

#include <algorithm>
#include <cmath>

using namespace reglab;

namespace {

RunRecord run(std::initializer_list<double> testAccuracies)
{
    RunRecord r;
    int e = 0;
    for (double a : testAccuracies) {
        EpochRecord rec;
        rec.epoch = ++e;
        rec.testAccuracy = a;
        rec.valAccuracy = std::min(1.0, a + 0.01);
        rec.trainLoss = 1.0 / e;
        rec.valLoss = 2.0 / e;
        rec.layers = {{"fc1", 0.25, 1, 1, 0.125}, {"fc2", 0.5, 1, 1, 0.5}};
        r.epochs.push_back(rec);
    }
    return r;
}

} // namespace

TEST_CASE("a run's summary: final values, the first epoch of the best, fc1's sparsity")
{
    const SummaryRow row = summarizeRun("L1 0.001", run({0.5, 0.9, 0.9, 0.8}));
    CHECK(row.epochs == 4);
    CHECK(row.final("test_accuracy") == doctest::Approx(0.8));
    CHECK(row.best("test_accuracy") == doctest::Approx(0.9));
    CHECK(row.bestEpoch("test_accuracy") == 2);
    CHECK(row.bestEpoch("val_accuracy") == 2);
    CHECK(row.final("train_loss") == doctest::Approx(0.25));
    CHECK(row.final("val_loss") == doctest::Approx(0.5));
    CHECK(row.final("small_fraction") == doctest::Approx(0.25));
    CHECK(row.final("zero_fraction") == doctest::Approx(0.125));
    CHECK(std::isnan(row.best("train_loss"))); // a loss has no "best" column
}

TEST_CASE("summary tables as CSV, Markdown and HTML")
{
    const std::vector<SummaryRow> rows{summarizeRun("a, \"quoted\" | <b>", run({0.5, 0.75})),
                                       summarizeRun("empty", RunRecord{})};
    const std::string csv = summaryCsv(rows);
    // A column for each metric the metrics table summarizes, in its order.
    CHECK(csv.rfind("run,epochs,final_test_accuracy,final_val_accuracy,final_train_loss,final_val_loss,final_test_loss,"
                    "final_small_fraction,final_zero_fraction,best_test_accuracy,best_test_accuracy_epoch,"
                    "best_val_accuracy,best_val_accuracy_epoch\n",
                    0) == 0);
    CHECK(csv.find("\"a, \"\"quoted\"\" | <b>\",2,0.75,0.76,0.5,1,0,0.25,0.125,0.75,2,0.76,2\n") != std::string::npos);
    CHECK(csv.find("\nempty,0,,,,,,,,,,,\n") != std::string::npos);
    const std::string md = summaryMarkdown(rows);
    CHECK(md.find("| a, \"quoted\" \\| <b> | 2 | 75.00 % | 76.00 % | 0.5000 | 1.0000 | 0.0000 | 25.00 % | 12.50 % | "
                  "75.00 % (2) | 76.00 % (2) |") != std::string::npos);
    CHECK(md.rfind("| Run | Epochs | Final Test accuracy | Final Validation accuracy | Final Training loss |", 0) == 0);
    CHECK(md.find("| empty | 0 | - |") != std::string::npos);
    const std::string html = summaryHtml(rows);
    CHECK(html.find("<td>a, &quot;quoted&quot; | &lt;b&gt;</td>") != std::string::npos);
    CHECK(std::count(html.begin(), html.end(), '\n') == 5);
}

TEST_CASE("a training accuracy gets its columns (and the gap) only where some run measured it")
{
    RunRecord measured = run({0.5, 0.75});
    measured.epochs[0].trainAccuracy = 0.6;
    measured.epochs[1].trainAccuracy = 0.95;
    const std::vector<SummaryRow> rows{summarizeRun("measured", measured), summarizeRun("plain", run({0.5}))};
    const std::string csv = summaryCsv(rows);
    CHECK(csv.rfind("run,epochs,final_test_accuracy,final_val_accuracy,final_train_accuracy,final_gap,", 0) == 0);
    CHECK(csv.find("best_train_accuracy,best_train_accuracy_epoch") != std::string::npos);
    CHECK(csv.find("final_train_eval_loss") == std::string::npos); // measured by nobody: no column
    CHECK(csv.find("\nmeasured,2,0.75,0.76,0.95,0.2,") != std::string::npos);
    CHECK(csv.find("\nplain,1,0.5,0.51,,,") != std::string::npos);
    CHECK(rows[0].final("gap") == doctest::Approx(0.2));
    CHECK(rows[0].best("train_accuracy") == doctest::Approx(0.95));
    const std::string md = summaryMarkdown(rows);
    CHECK(md.find("| Final Training accuracy | Final Generalization gap |") != std::string::npos);
    CHECK(md.find("| plain | 1 | 50.00 % | 51.00 % | - | - |") != std::string::npos);
    CHECK(md.find("- (0)") == std::string::npos); // a best never measured has no epoch either
}

// Runs on different data sets were compared without a word: their names then say which data set.
TEST_CASE("compared runs of different data sets are named with their data set")
{
    RunRecord sample = run({0.9}), fashion = run({0.8}), notStarted;
    sample.dataName = "MNIST sample";
    fashion.config.data = "fashion";
    fashion.dataName = "Fashion-MNIST";
    CHECK(!dataSetsDiffer({&sample, &notStarted})); // "sample" either way, named or not yet
    CHECK(dataSetsDiffer({&sample, &fashion}));
    CHECK_EQ(withDataSet("L1 0.01", fashion), "L1 0.01 [Fashion-MNIST]");
    CHECK_EQ(dataSetName(notStarted), "sample");
}
