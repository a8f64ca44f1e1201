"""A careful plain-PyTorch loop of the forum's workload, for scale against RegLab and the forum script
(docs/performance.md, "Where RegLab's speed comes from"): the same network, loss (cross-entropy plus 0.01 * sum|p|
through autograd), SGD, batch 50 and 5-fold rotation as bench/seed_mlp.py, but with the whole data set
preloaded as one normalized tensor, batches taken by index (no DataLoader, no per-image transforms) and
evaluation in batches of 1,000.
usage: plain_loop.py EPOCHS [--threads N] [--l1-direct] [--no-grad-l1]
--threads N: torch's intra-op threads (default: torch's own choice, printed first);
--l1-direct: the L1 term's gradient added to the gradients (lambda1 * sign(p)) instead of through autograd;
--no-grad-l1: no L1 at all (what the penalty costs).
Needs Debian's python3-torch and Fashion-MNIST (dataset-fashion-mnist)."""
import gzip, sys, time, torch

def idx(path, offset):
    with gzip.open(path) as f:
        return f.read()[offset:]

def main():
    args = sys.argv[1:]
    epochs = int(args[0]) if args else 3
    if '--threads' in args:
        torch.set_num_threads(int(args[args.index('--threads') + 1]))
    l1_direct, no_l1 = '--l1-direct' in args, '--no-grad-l1' in args
    print(f"torch {torch.__version__}, intra-op threads {torch.get_num_threads()}", flush=True)
    torch.manual_seed(0)
    src = '/usr/share/datasets/fashion-mnist/'
    def images(name):
        raw = torch.frombuffer(bytearray(idx(src + name, 16)), dtype=torch.uint8)
        return ((raw.view(-1, 784).float() / 255.0) - 0.1307) / 0.3081
    def labels(name):
        return torch.frombuffer(bytearray(idx(src + name, 8)), dtype=torch.uint8).long()
    train_x, train_y = images('train-images-idx3-ubyte.gz'), labels('train-labels-idx1-ubyte.gz')
    test_x, test_y = images('t10k-images-idx3-ubyte.gz'), labels('t10k-labels-idx1-ubyte.gz')
    net = torch.nn.Sequential(
        torch.nn.Linear(784, 200), torch.nn.Dropout(0.3), torch.nn.LeakyReLU(inplace=True),
        torch.nn.Linear(200, 200), torch.nn.Dropout(0.4), torch.nn.LeakyReLU(inplace=True),
        torch.nn.Linear(200, 10))
    params = list(net.parameters())
    optimizer = torch.optim.SGD(params, lr=0.01)
    loss_function = torch.nn.CrossEntropyLoss()
    lam = 0.01
    order = torch.randperm(train_x.size(0))
    folds = order.chunk(5)
    for epoch in range(epochs):
        t0 = time.perf_counter()
        val_ids = folds[epoch % 5]
        train_ids = torch.cat([f for k, f in enumerate(folds) if k != epoch % 5])
        train_ids = train_ids[torch.randperm(train_ids.numel())]
        net.train()
        for start in range(0, train_ids.numel(), 50):
            ids = train_ids[start:start + 50]
            loss = loss_function(net(train_x.index_select(0, ids)), train_y.index_select(0, ids))
            if not no_l1 and not l1_direct:
                loss = loss + lam * sum(p.abs().sum() for p in params)
            optimizer.zero_grad()
            loss.backward()
            if l1_direct:
                with torch.no_grad():
                    for p in params:
                        p.grad.add_(p.sign(), alpha=lam)
            optimizer.step()
        t_train = time.perf_counter() - t0
        net.eval()
        accuracies = []
        with torch.no_grad():
            for x, y in ((train_x.index_select(0, val_ids), train_y.index_select(0, val_ids)), (test_x, test_y)):
                correct = 0
                for start in range(0, x.size(0), 1000):
                    correct += net(x[start:start + 1000]).argmax(1).eq(y[start:start + 1000]).sum().item()
                accuracies.append(correct / x.size(0))
        print(f"epoch {epoch + 1} train_s {t_train:.2f} epoch_s {time.perf_counter() - t0:.2f} "
              f"val_acc {accuracies[0]:.4f} test_acc {accuracies[1]:.4f}", flush=True)

main()
