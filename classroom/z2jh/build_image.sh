#!/usr/bin/env bash
# The students' container image for Zero to JupyterHub, built by repo2docker from this repository:
# it reads environment.yml at the root (the course's packages and `pip install -e .`), like Binder.
#
#   pip install jupyter-repo2docker          # needs a Docker engine
#   classroom/z2jh/build_image.sh registry.example.org/mnist-from-scratch:$(git rev-parse --short HEAD)
#   docker push registry.example.org/mnist-from-scratch:<tag>
#
# --target-repo-dir: the course goes to /srv/repo, not to the home folder, which Kubernetes hides
#   behind each student's own volume (the editable mnist_lib install must stay visible).
# --appendix: what the hub needs on top (nbgitpuller, for the course link), and the MNIST cache
#   filled once at build time, where the kernels share it (MNIST_LIB_CACHE in config.yaml).
set -euo pipefail
IMAGE=${1:?usage: classroom/z2jh/build_image.sh REGISTRY/NAME:TAG}
cd "$(dirname "$0")/../.."
jupyter-repo2docker --no-run --user-name jovyan --image-name "$IMAGE" \
    --target-repo-dir /srv/repo \
    --appendix 'RUN ${NB_PYTHON_PREFIX}/bin/python -m pip install --no-cache-dir "nbgitpuller>=1.2" \
 && MNIST_LIB_CACHE=/srv/repo/.mnist-cache ${NB_PYTHON_PREFIX}/bin/python -c "from mnist_lib import load_mnist; load_mnist()"' \
    .
