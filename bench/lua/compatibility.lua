-- POST /api/reading/compatibility with a fixed pair of birth dates.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"birthDate1":"1990-05-15","birthDate2":"1992-11-03"}'
