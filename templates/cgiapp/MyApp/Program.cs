// The whole program: serve the one request a web server started this process for.
return CgiRouting.CgiApp.Run();
