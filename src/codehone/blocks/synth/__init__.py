"""Synthetic request -> program pairs for training and the benchmark, each verified by running it."""
