"""Notebook 09: "Try it 1: predict the edge", "Try it 2: choose a rate from the range test",
"Try it 3: find a learning rate that stalls", "Try it 4: 92% within a budget".

The learning rates of Try it 2 and 3 are chosen well inside their verdicts at the lab's default
settings (notebook 09's tables), so that each answer gets the same verdict on every computer."""
from . import right, wrong

# --- Try it 1: "the learning rate at which the path stops converging", for x² + y², x²/20 + y²
# and 5x² + 5y², given as check_edge_lr(bowl_edge, valley_edge, steep_edge) ---------------------

ANSWERS = [
    right("09", "edge_lr", (1, 1, 0.2), "1, 1 and 0.2"),
    right("09", "edge_lr", (1.0, 1 / max(1 / 20, 1), 1 / 5), "1 / max(a, b) worked out"),
    right("09", "edge_lr", (0.5 * 2, 1.0, 1 / (2 * 2.5)), "from 1 - 2·lr·a = -1"),
    wrong("09", "edge_lr", "not-a-number", (None, None, None), "the starter",
          says="bowl should be a number, got None"),
    wrong("09", "edge_lr", "fastest-not-edge", (0.5, 0.5, 0.1), "one step to the minimum",
          says="bowl (f = x² + y²): at lr = 0.5 the path converged"),
    wrong("09", "edge_lr", "flat-direction", (1, 20, 0.2), "the valley's flat direction",
          says="at lr = 20 the path diverged"),
    wrong("09", "edge_lr", "forgot-factor-2", (2, 2, 0.4), "1 / a, forgetting the 2"),
    wrong("09", "edge_lr", "still-converges", (0.99, 0.99, 0.19), "just below, to be safe",
          says="at lr = 0.99 the path converged with a zig-zag"),
    wrong("09", "edge_lr", "already-diverges", (1.1, 1.1, 0.25), "the first rate that blows up",
          says="at lr = 1.1 the path diverged"),
    wrong("09", "edge_lr", None, (1, 1), "two answers", says="give three learning rates"),

    # --- Try it 2: a learning rate read off the range test, confirmed on the lab's run ----------
    right("09", "range_lr", 0.1, "ten times below the lowest point"),
    right("09", "range_lr", 0.2, "where the curve falls fastest"),
    right("09", "range_lr", 0.3, "a few times below the lowest point"),
    wrong("09", "range_lr", "at-the-lowest-point", 1.0, "the lowest point, rounded",
          says="unstable: it learns"),
    wrong("09", "range_lr", "past-the-lowest-point", 5.0, "where the loss climbs",
          says="stalled: it stopped learning"),
    wrong("09", "range_lr", "past-the-lowest-point", 10.0, "near the end of the curve",
          says="diverged at iteration"),
    wrong("09", "range_lr", "in-the-flat-start", 0.001, "the start of the curve",
          says="crawled: validation accuracy"),
    wrong("09", "range_lr", "not-a-number", None, "left None", says="lr is None"),

    # --- Try it 3: a learning rate whose run at the lab's default settings stalls --------------
    right("09", "stalled_lr", 3.0, "3"),
    right("09", "stalled_lr", 2, "2, an int"),
    right("09", "stalled_lr", 5.0, "5, just below where it blows up"),
    wrong("09", "stalled_lr", "trains", 0.1, "the default",
          says="lr = 0.1 at the lab's default settings: trained"),
    wrong("09", "stalled_lr", "still-learns", 1.0, "the largest that trains",
          says="unstable: it learns"),
    wrong("09", "stalled_lr", "near-the-edge", 1.5, "just past the edge", says="near the edge"),
    wrong("09", "stalled_lr", "crawls", 0.001, "too small instead of too large",
          says="crawled: validation accuracy"),
    wrong("09", "stalled_lr", "diverges", 10.0, "far too large", says="diverged at iteration 3"),
    wrong("09", "stalled_lr", "not-a-number", "3", "in quotes", says="lr should be a number"),

    # --- Try it 4: settings of run_lr_experiment reaching 92% in at most 300 iterations --------
    right("09", "budget", {"lr": 0.3, "hidden_size": 200}, "lr 0.3 and 200 hidden neurons"),
    right("09", "budget", {"lr": 0.3, "hidden_size": 100, "epochs": 3}, "lr 0.3, 100 neurons"),
    right("09", "budget", {"lr": 0.003, "optimizer": "adam"}, "Adam from notebook 11"),
    wrong("09", "budget", "not-settings", None, "the starter", says="settings should be a dict"),
    wrong("09", "budget", "not-settings", {"batch_size": 100}, "no learning rate",
          says="with at least 'lr'"),
    wrong("09", "budget", "over-budget", {"lr": 0.1, "epochs": 10}, "more epochs",
          says="= 1000 iterations, over the budget of 300"),
    wrong("09", "budget", "over-budget", {"lr": 0.1, "batch_size": 10, "epochs": 1}, "batch 10",
          says="= 1000 iterations, over the budget of 300"),
    wrong("09", "budget", "below-goal", {"lr": 0.1}, "the default learning rate",
          says="below the goal of 92%"),
    wrong("09", "budget", "too-large", {"lr": 3}, "a learning rate past the edge",
          says="stalled: it stopped learning"),
    wrong("09", "budget", "unknown-setting", {"lr": 0.3, "hiden_size": 200}, "a typo",
          says="unknown setting 'hiden_size'"),
    wrong("09", "budget", "refused", {"lr": 0.3, "train_size": 50}, "50 images",
          says="refused them: train_size must be between 100"),
]
