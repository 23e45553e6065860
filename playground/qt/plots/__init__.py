"""The live plots (loss, accuracy, weights, gradients), their building blocks, and the decision
boundary view."""
