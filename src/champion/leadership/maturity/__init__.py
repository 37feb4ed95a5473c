"""The high-reliability maturity self-assessment, based on the framework of Chassin & Loeb (2013).

`framework` loads and checks the framework (framework.yaml); `report` turns a finished round
into its report. The models live in `champion.leadership.models`.
"""
