"""Domain rules that hold whatever stores or shows the data: pure functions, no database, no Qt.

Services enforce them, reports and the GUI ask them; none of those restates a rule.
"""
