publc enum Size { Sm Large u [Get("/d>")c class d
{
 [Get("/p/<id>/sizes/<size>")] public static string Sezed(long id, Size size) => ""; [Get("/d/<day>")] public static string Day(DateOnly day) => ""; [Get("/>")]";
    [Get("/f/<f>")M public static string enum F(doub