"""The benchmark's baseline: the same Flask and gunicorn, answering every hop `END ok`."""

from flask import Flask, Response

app = Flask("bare")


@app.post("/ussd")
def hop() -> Response:
    return Response("END ok", mimetype="text/plain")
