// The summary table of runs, without Qt: the best epoch is the first to reach the best, runs without epochs
// get empty cells, names are quoted for CSV and escaped for Markdown and HTML.
#include "model/summarytable.h"
#include "testing.h"

#include <algorithm>

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
    CHECK(row.finalTest == doctest::Approx(0.8));
    CHECK(row.bestTest == doctest::Approx(0.9));
    CHECK(row.bestTestEpoch == 2);
    CHECK(row.bestValEpoch == 2);
    CHECK(row.finalTrainLoss == doctest::Approx(0.25));
    CHECK(row.finalValLoss == doctest::Approx(0.5));
    CHECK(row.hasSparsity);
    CHECK(row.fc1Small == doctest::Approx(0.25));
    CHECK(row.fc1Zero == doctest::Approx(0.125));
}

TEST_CASE("summary tables as CSV, Markdown and HTML")
{
    const std::vector<SummaryRow> rows{summarizeRun("a, \"quoted\" | <b>", run({0.5, 0.75})),
                                       summarizeRun("empty", RunRecord{})};
    const std::string csv = summaryCsv(rows);
    CHECK(csv.rfind("run,epochs,final_val_accuracy,final_test_accuracy,best_val_accuracy,best_val_epoch,", 0) == 0);
    CHECK(csv.find("\"a, \"\"quoted\"\" | <b>\",2,0.76,0.75,0.76,2,0.75,2,0.5,1,0.25,0.125\n") != std::string::npos);
    CHECK(csv.find("\nempty,0,,,,,,,,,,\n") != std::string::npos);
    const std::string md = summaryMarkdown(rows);
    CHECK(md.find("| a, \"quoted\" \\| <b> | 2 | 76.00 % | 75.00 % | 76.00 % (2) | 75.00 % (2) | 0.5000 | 1.0000 | "
                  "25.00 % | 12.50 % |") != std::string::npos);
    CHECK(md.find("| empty | 0 | - |") != std::string::npos);
    const std::string html = summaryHtml(rows);
    CHECK(html.find("<td>a, &quot;quoted&quot; | &lt;b&gt;</td>") != std::string::npos);
    CHECK(std::count(html.begin(), html.end(), '\n') == 5);
}
