return CgiRouting.CgiApp.Run();
