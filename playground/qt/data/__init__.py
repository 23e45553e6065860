"""The data panel: the dataset gallery, and the painter that draws points on the boundary view."""
