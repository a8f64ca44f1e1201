"""The PyTorch script from the L1-regularization forum question, made runnable: the lines the post left out (train_data, the loaders,
zero_grad, the validation/test loops) are filled in the usual torchvision way; Visdom is replaced by
printing. It is the reference that RegLab's speed and accuracy are measured against.
usage: seed_mlp.py DATA L1 L2 EPOCHS [cpu|cuda] [batch]
DATA: 'fashion' (Debian's dataset-fashion-mnist), 'sample' (../shared/data/mnist-sample), or a folder
holding MNIST/raw/ with the four uncompressed IDX files (torchvision's layout).
Needs Debian's python3-torch, python3-torchvision, python3-sklearn. Env L1_SCOPE=weights: L1 on weights only."""
import sys, os, gzip, time, tempfile, atexit, shutil, torch, torchvision
from sklearn.model_selection import KFold

def prepare(data):
    """Lay the .gz files of a known source out the way torchvision's MNIST class reads them."""
    here = os.path.dirname(os.path.abspath(__file__))
    src = {'fashion': '/usr/share/datasets/fashion-mnist',
           'sample': os.path.join(here, '..', 'resources', 'data', 'mnist-sample')}.get(data)
    if src is None:
        return data
    root = tempfile.mkdtemp(prefix='seed_mlp_')
    atexit.register(shutil.rmtree, root, True)
    os.makedirs(os.path.join(root, 'MNIST', 'raw'))
    for n in ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']:
        with gzip.open(os.path.join(src, n + '.gz')) as f, open(os.path.join(root, 'MNIST', 'raw', n), 'wb') as g:
            g.write(f.read())
    return root

root, lan_l1, lan_l2, maxepoch = prepare(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
device = torch.device(sys.argv[5] if len(sys.argv) > 5 else 'cpu')
batch_size = int(sys.argv[6]) if len(sys.argv) > 6 else 50
k_folds, learning_rate = 5, 1e-2
L1_SCOPE = os.environ.get('L1_SCOPE', 'all')  # 'all' (the seed) or 'weights'
torch.manual_seed(0)
tf = torchvision.transforms.Compose([torchvision.transforms.ToTensor(),
                                     torchvision.transforms.Normalize((0.1307,), (0.3081,))])
train_data = torchvision.datasets.MNIST(root, train=True, transform=tf)
test_data = torchvision.datasets.MNIST(root, train=False, transform=tf)

class myMLP(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.model = torch.nn.Sequential(
            torch.nn.Linear(784, 200), torch.nn.Dropout(0.3), torch.nn.LeakyReLU(inplace=True),
            torch.nn.Linear(200, 200), torch.nn.Dropout(0.4), torch.nn.LeakyReLU(inplace=True),
            torch.nn.Linear(200, 10))
    def forward(self, x):
        return self.model(x)

myNet = myMLP().to(device)
optimizer = torch.optim.SGD(myNet.parameters(), lr=learning_rate, weight_decay=lan_l2)
loss_function = torch.nn.CrossEntropyLoss().to(device)
kfold = KFold(n_splits=k_folds, shuffle=True, random_state=0)
folds = list(kfold.split(train_data))
test_loader = torch.utils.data.DataLoader(test_data, batch_size=batch_size)
for epoch in range(maxepoch):
    t0 = time.perf_counter()
    train_ids, val_ids = folds[epoch % k_folds]
    train_loader = torch.utils.data.DataLoader(train_data, batch_size=batch_size,
                                               sampler=torch.utils.data.SubsetRandomSampler(train_ids))
    val_loader = torch.utils.data.DataLoader(train_data, batch_size=batch_size,
                                             sampler=torch.utils.data.SubsetRandomSampler(val_ids))
    myNet.train()
    for batch_idx, (data, target) in enumerate(train_loader):
        data, target = data.view(-1, 784).to(device), target.to(device)
        loss = loss_function(myNet(data), target)
        loss_l1 = 0
        for name, parm in myNet.named_parameters():
            if L1_SCOPE == 'all' or name.endswith('weight'):
                loss_l1 += torch.sum(torch.abs(parm))
        loss += lan_l1 * loss_l1
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    t_train = time.perf_counter() - t0
    myNet.eval()
    correct = 0
    with torch.no_grad():
        for data, target in val_loader:
            data, target = data.view(-1, 784).to(device), target.to(device)
            correct += myNet(data).argmax(dim=1).eq(target).sum().item()
    val_acc = correct / len(val_ids)
    correct = 0
    with torch.no_grad():
        for data, target in test_loader:
            data, target = data.view(-1, 784).to(device), target.to(device)
            correct += myNet(data).argmax(dim=1).eq(target).sum().item()
    print(f"epoch {epoch+1} train_s {t_train:.2f} epoch_s {time.perf_counter()-t0:.2f} "
          f"loss {loss.item():.4f} val_acc {val_acc:.4f} test_acc {correct/len(test_data):.4f}", flush=True)
