"""Stage 4, analyse: the graph as networkx, co-evolution measures from the influence links.
"""
